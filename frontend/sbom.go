package frontend

import (
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spdx/tools-golang/spdx/v2/common"
	spdx "github.com/spdx/tools-golang/spdx/v2/v2_3"
)

// binaryInfo is one binary of an image and its Go build info.
type binaryInfo struct {
	Path string // in the image, e.g. /usr/local/bin/server
	Info *debug.BuildInfo
}

func readBuildInfo(path string, r io.ReaderAt) (binaryInfo, error) {
	bi, err := buildinfo.Read(r)
	if err != nil {
		return binaryInfo{}, fmt.Errorf("%s: no Go build info: %w", path, err)
	}
	return binaryInfo{Path: path, Info: bi}, nil
}

var spdxIDUnsafe = regexp.MustCompile(`[^a-zA-Z0-9.-]+`)

func spdxID(kind, name, version string) common.ElementID {
	return common.ElementID(kind + "-" + strings.Trim(spdxIDUnsafe.ReplaceAllString(name+"-"+version, "-"), "-"))
}

func purl(path, version string) *spdx.PackageExternalReference {
	loc := "pkg:golang/" + path
	if version != "" {
		loc += "@" + version
	}
	return &spdx.PackageExternalReference{Category: "PACKAGE-MANAGER", RefType: "purl", Locator: loc}
}

// h1Checksum turns a go.sum "h1:" hash (base64 SHA-256) into an SPDX checksum.
func h1Checksum(sum string) []common.Checksum {
	b64, ok := strings.CutPrefix(sum, "h1:")
	if !ok {
		return nil
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) != sha256.Size {
		return nil
	}
	return []common.Checksum{{Algorithm: common.SHA256, Value: hex.EncodeToString(raw)}}
}

// spdxDocument is an SPDX 2.3 SBOM of an image's Go binaries made from
// their build info: one APPLICATION package per binary (its main module,
// Go version and build settings), one LIBRARY package per dependency module
// (version, go.sum hash, purl) and the Go standard library. It is
// deterministic: the same binaries and epoch give the same bytes.
func spdxDocument(name string, epoch time.Time, bins []binaryInfo) *spdx.Document {
	doc := &spdx.Document{
		SPDXVersion:    spdx.Version,
		DataLicense:    spdx.DataLicense,
		SPDXIdentifier: "DOCUMENT",
		DocumentName:   name,
		CreationInfo: &spdx.CreationInfo{
			Creators: []common.Creator{{CreatorType: "Tool", Creator: "goscratch"}},
			Created:  epoch.UTC().Format(time.RFC3339),
		},
	}
	seen := map[common.ElementID]bool{}
	add := func(p *spdx.Package) common.ElementID {
		if !seen[p.PackageSPDXIdentifier] {
			seen[p.PackageSPDXIdentifier] = true
			doc.Packages = append(doc.Packages, p)
		}
		return p.PackageSPDXIdentifier
	}
	rel := func(a, b common.ElementID, kind string) {
		doc.Relationships = append(doc.Relationships, &spdx.Relationship{
			RefA: common.MakeDocElementID("", string(a)), RefB: common.MakeDocElementID("", string(b)), Relationship: kind,
		})
	}
	ns := sha256.New()
	for _, b := range bins {
		bi := b.Info
		fmt.Fprintf(ns, "%s\n%s", b.Path, bi.String())
		app := add(&spdx.Package{
			PackageName:             bi.Main.Path,
			PackageSPDXIdentifier:   spdxID("Binary", b.Path, ""),
			PackageVersion:          bi.Main.Version,
			PackageFileName:         b.Path,
			PackageDownloadLocation: "NOASSERTION",
			PrimaryPackagePurpose:   "APPLICATION",
			PackageComment:          buildSettings(bi),
			PackageExternalReferences: []*spdx.PackageExternalReference{
				purl(bi.Main.Path, bi.Main.Version),
			},
		})
		rel("DOCUMENT", app, common.TypeRelationshipDescribe)
		goVersion := strings.TrimPrefix(bi.GoVersion, "go")
		std := add(&spdx.Package{
			PackageName:               "stdlib",
			PackageSPDXIdentifier:     spdxID("Package", "stdlib", goVersion),
			PackageVersion:            goVersion,
			PackageDownloadLocation:   "NOASSERTION",
			PrimaryPackagePurpose:     "LIBRARY",
			PackageComment:            "the Go standard library linked into the binaries (" + bi.GoVersion + ")",
			PackageExternalReferences: []*spdx.PackageExternalReference{purl("stdlib", goVersion)},
		})
		rel(app, std, common.TypeRelationshipDependsOn)
		for _, m := range bi.Deps {
			p := &spdx.Package{
				PackageName:               m.Path,
				PackageSPDXIdentifier:     spdxID("Package", m.Path, m.Version),
				PackageVersion:            m.Version,
				PackageDownloadLocation:   "NOASSERTION",
				PackageChecksums:          h1Checksum(m.Sum),
				PrimaryPackagePurpose:     "LIBRARY",
				PackageExternalReferences: []*spdx.PackageExternalReference{purl(m.Path, m.Version)},
			}
			if r := m.Replace; r != nil {
				p.PackageComment = fmt.Sprintf("replaced by %s %s", r.Path, r.Version)
				p.PackageChecksums = h1Checksum(r.Sum)
				p.PackageDownloadLocation = "NOASSERTION"
			}
			rel(app, add(p), common.TypeRelationshipDependsOn)
		}
	}
	doc.DocumentNamespace = "https://goscratch.dev/spdx/" + name + "-" + hex.EncodeToString(ns.Sum(nil))[:16]
	return doc
}

func buildSettings(bi *debug.BuildInfo) string {
	var b strings.Builder
	b.WriteString("built with " + bi.GoVersion)
	for _, s := range bi.Settings {
		b.WriteString("; " + s.Key + "=" + s.Value)
	}
	return b.String()
}
