package frontend

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/containerd/platforms"
	"github.com/distribution/reference"
	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/attestations/sbom"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	gatewaypb "github.com/moby/buildkit/frontend/gateway/pb"
	"github.com/moby/buildkit/solver/result"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
	spdxjson "github.com/spdx/tools-golang/json"
)

// defaultSBOMGenerator is what buildx asks for with --sbom=true. goscratch
// answers that request itself; any other generator goes to BuildKit's
// scanner path.
const defaultSBOMGenerator = "docker.io/docker/buildkit-syft-scanner:stable-1"

const sbomPath = "/goscratch.spdx.json"

// built remembers each platform's image, for attestations made afterwards.
type built struct {
	mu   sync.Mutex
	refs map[string]builtImage
}

type builtImage struct {
	ref   client.Reference
	state llb.State
	bins  []client.Reference // each binary's layer, in the spec's order
}

func platformKey(p ocispecs.Platform) string { return platforms.FormatAll(platforms.Normalize(p)) }

func (b *built) put(p ocispecs.Platform, img builtImage) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.refs == nil {
		b.refs = map[string]builtImage{}
	}
	b.refs[platformKey(p)] = img
}

func (b *built) get(p ocispecs.Platform) (builtImage, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	img, ok := b.refs[platformKey(p)]
	return img, ok
}

// attachSBOM answers `attest:sbom`: an SPDX document per platform made from
// the binaries' Go build info (no scanner image), or BuildKit's scanner when
// the request names another generator.
func attachSBOM(ctx context.Context, bc *dockerui.Client, rb *dockerui.ResultBuilder, in *request, imgs *built) error {
	if bc.SBOM == nil {
		return nil
	}
	if !isDefaultGenerator(bc.SBOM.Generator) {
		return scannerSBOM(ctx, bc, rb, imgs)
	}
	return rb.EachPlatform(ctx, func(ctx context.Context, id string, p ocispecs.Platform) error {
		img, ok := imgs.get(p)
		if !ok {
			return fmt.Errorf("sbom: no image for %s", id)
		}
		var bins []binaryInfo
		for i, b := range in.target.Binaries {
			name := path.Join(spec.BinDir, b.Name)
			rr, err := newRangeReader(ctx, img.bins[i], name)
			if err != nil {
				return err
			}
			bi, err := readBuildInfo(name, rr)
			if err != nil {
				return err
			}
			bins = append(bins, bi)
		}
		docName := "goscratch-" + bins[0].Path[len(spec.BinDir)+1:] + "-" + strings.ReplaceAll(platforms.Format(p), "/", "-")
		var buf bytes.Buffer
		if err := spdxjson.Write(spdxDocument(docName, in.options.Epoch0(), bins), &buf); err != nil {
			return err
		}
		st := llb.Scratch().File(llb.Mkfile(sbomPath, 0o644, buf.Bytes()), llb.WithCustomNamef("[%s] SBOM from Go build info", platforms.Format(p)))
		ref, err := solveState(ctx, bc, st)
		if err != nil {
			return err
		}
		rb.AddAttestation(id, result.Attestation[client.Reference]{
			Kind: gatewaypb.AttestationKind_InToto,
			Ref:  ref,
			Path: sbomPath,
			Metadata: map[string][]byte{
				result.AttestationReasonKey: []byte(result.AttestationReasonSBOM),
			},
			InToto: result.InTotoAttestation{PredicateType: "https://spdx.dev/Document"},
		})
		return nil
	})
}

func isDefaultGenerator(g string) bool {
	named, err := reference.ParseNormalizedNamed(g)
	return err == nil && reference.TagNameOnly(named).String() == defaultSBOMGenerator
}

// scannerSBOM defers to BuildKit's scanner image path, as the Dockerfile
// frontend does.
func scannerSBOM(ctx context.Context, bc *dockerui.Client, rb *dockerui.ResultBuilder, imgs *built) error {
	p := buildPlatform0(bc)
	scanner, err := sbom.CreateSBOMScanner(ctx, bc.GatewayClient(), bc.SBOM.Generator, p, sourceresolver.Opt{
		ImageOpt: &sourceresolver.ResolveImageOpt{Platform: &p, ResolveMode: bc.ImageResolveMode.String()},
	}, bc.SBOM.Parameters)
	if err != nil {
		return err
	}
	return rb.EachPlatform(ctx, func(ctx context.Context, id string, tp ocispecs.Platform) error {
		img, ok := imgs.get(tp)
		if !ok {
			return fmt.Errorf("sbom: no image for %s", id)
		}
		att, err := scanner(ctx, id, img.state, nil)
		if err != nil {
			return err
		}
		res, err := result.ConvertAttestation(&att, func(st *llb.State) (client.Reference, error) {
			return solveState(ctx, bc, *st)
		})
		if err != nil {
			return err
		}
		rb.AddAttestation(id, *res)
		return nil
	})
}

// solveState solves part of the build graph, with the request's cache
// imports.
func solveState(ctx context.Context, bc *dockerui.Client, st llb.State) (client.Reference, error) {
	markSolve(ctx)
	return solve(ctx, bc, st, bc.CacheImports)
}

// solve marshals st and solves it (lazily) to one reference; imports are
// the cache imports to use (none for the frontend's small reads of the
// context and of images).
func solve(ctx context.Context, bc *dockerui.Client, st llb.State, imports []client.CacheOptionsEntry) (client.Reference, error) {
	caps := bc.BuildOpts().LLBCaps
	def, err := st.Marshal(ctx, llb.WithCaps(caps))
	if err != nil {
		return nil, err
	}
	if err := gsllb.CheckCaps(def, caps); err != nil {
		return nil, err
	}
	r, err := bc.GatewayClient().Solve(ctx, client.SolveRequest{Definition: def.ToPB(), CacheImports: imports})
	if err != nil {
		return nil, err
	}
	return r.SingleRef()
}
