package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ---- cacheprog ----

// cacheprog serves the go command's build cache (GOCACHEPROG) from layered
// directories in the go command's own GOCACHE layout, so a cache made by a
// plain `go build` (or by an older Go) reads the same:
//
//	-out DIR  the layer being made: every entry the build gets or puts ends
//	          up here, except those an -ro layer has, so the layer holds
//	          exactly what the build used beyond the layers it read
//	-rw DIR   read and written (the persistent cache mount)
//	-ro DIR   read only (the layer of an earlier step, which every step
//	          that mounts the one being made mounts too)
//
// A get looks in -out, then each -rw, then each -ro, in flag order; when
// a layer is being made, the -ro ones come right after -out, so that what
// they have is not copied.
func cacheprog(args []string) int {
	fs := flag.NewFlagSet("cacheprog", flag.ExitOnError)
	var c layeredCache
	fs.StringVar(&c.out, "out", "", "directory that receives every entry used")
	fs.Var((*multi)(&c.rw), "rw", "read-write cache directory (repeatable)")
	fs.Var((*multi)(&c.ro), "ro", "read-only cache directory (repeatable)")
	_ = fs.Parse(args)
	if err := c.serve(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "gotool cacheprog: %v\n", err)
		return 1
	}
	return 0
}

// cacheRequest and cacheResponse are the GOCACHEPROG protocol's messages
// (cmd/go/internal/cacheprog).
type cacheRequest struct {
	ID       int64
	Command  string
	ActionID []byte `json:",omitempty"`
	OutputID []byte `json:",omitempty"`
	BodySize int64  `json:",omitempty"`
}

type cacheResponse struct {
	ID            int64
	Err           string     `json:",omitempty"`
	KnownCommands []string   `json:",omitempty"`
	Miss          bool       `json:",omitempty"`
	OutputID      []byte     `json:",omitempty"`
	Size          int64      `json:",omitempty"`
	Time          *time.Time `json:",omitempty"`
	DiskPath      string     `json:",omitempty"`
}

type layeredCache struct {
	out    string
	rw, ro []string

	fallback string          // a private directory, once no shared one could be written
	warned   map[string]bool // warnings already given
	warnMu   sync.Mutex      // warnf runs in the shared writer too

	// shared receives, when a layer is being made (-out), the entries to
	// add to the -rw directories: a goroutine writes (and syncs) them while
	// the go command goes on, reading the layer's copy. nil until the
	// first such put; flush waits for it.
	shared     chan entryBody
	sharedDone chan struct{}
}

// entryBody is an entry and its output, for the shared writer.
type entryBody struct {
	e    entry
	body []byte
}

// sharedQueue bounds the puts waiting for the shared writer (and so the
// memory their bodies hold): a put beyond it waits.
const sharedQueue = 16

// serve answers requests in order until "close" or the end of in.
func (c *layeredCache) serve(in io.Reader, out io.Writer) error {
	dec := json.NewDecoder(bufio.NewReaderSize(in, 1<<20))
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	send := func(r cacheResponse) error {
		if err := enc.Encode(r); err != nil {
			return err
		}
		return w.Flush()
	}
	if err := send(cacheResponse{KnownCommands: []string{"get", "put", "close"}}); err != nil {
		return err
	}
	for _, dir := range c.rw {
		sweepStale(dir, time.Now())
	}
	for {
		var req cacheRequest
		if err := dec.Decode(&req); err != nil {
			c.flush()
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		var body []byte
		if req.Command == "put" && req.BodySize > 0 {
			if err := dec.Decode(&body); err != nil {
				return fmt.Errorf("reading the body of put %d: %v", req.ID, err)
			}
			if int64(len(body)) != req.BodySize {
				return fmt.Errorf("put %d: body has %d bytes, want %d", req.ID, len(body), req.BodySize)
			}
		}
		resp := cacheResponse{ID: req.ID}
		var err error
		switch req.Command {
		case "get":
			err = c.get(req.ActionID, &resp)
		case "put":
			resp.DiskPath, err = c.put(req.ActionID, req.OutputID, body)
		case "close":
			c.flush()
			return send(resp)
		default:
			err = fmt.Errorf("unknown command %q", req.Command)
		}
		if err != nil {
			resp = cacheResponse{ID: req.ID, Err: err.Error()}
		}
		if err := send(resp); err != nil {
			return err
		}
	}
}

// entry is one action's record, as the go command's disk cache writes it.
type entry struct {
	action, output []byte
	size           int64
	time           time.Time
}

// entryLine is the "-a" file's content: "v1 <action> <output> <size> <time>\n".
func (e entry) line() string {
	return fmt.Sprintf("v1 %x %x %20d %20d\n", e.action, e.output, e.size, e.time.UnixNano())
}

func parseEntry(action []byte, data string) (entry, bool) {
	f := strings.Fields(data)
	if len(f) != 5 || f[0] != "v1" || f[1] != hex.EncodeToString(action) {
		return entry{}, false
	}
	out, err1 := hex.DecodeString(f[2])
	size, err2 := strconv.ParseInt(f[3], 10, 64)
	ns, err3 := strconv.ParseInt(f[4], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || size < 0 {
		return entry{}, false
	}
	return entry{action: action, output: out, size: size, time: time.Unix(0, ns)}, true
}

func actionFile(dir string, id []byte) string {
	h := hex.EncodeToString(id)
	return filepath.Join(dir, h[:2], h+"-a")
}

func outputFile(dir string, id []byte) string {
	h := hex.EncodeToString(id)
	return filepath.Join(dir, h[:2], h+"-d")
}

// lookup finds action's entry in dir, with its output file complete.
func lookup(dir string, action []byte) (entry, string, bool) {
	data, err := os.ReadFile(actionFile(dir, action))
	if err != nil {
		return entry{}, "", false
	}
	e, ok := parseEntry(action, string(data))
	if !ok {
		return entry{}, "", false
	}
	path := outputFile(dir, e.output)
	if fi, err := os.Stat(path); err != nil || fi.Size() != e.size {
		return entry{}, "", false
	}
	return e, path, true
}

func (c *layeredCache) dirs() []string {
	var dirs []string
	if c.out != "" {
		dirs = append(append(dirs, c.out), c.ro...)
	}
	if c.fallback != "" {
		dirs = append(dirs, c.fallback)
	}
	dirs = append(dirs, c.rw...)
	if c.out == "" {
		dirs = append(dirs, c.ro...)
	}
	return dirs
}

func (c *layeredCache) get(action []byte, resp *cacheResponse) error {
	if len(action) == 0 {
		return errors.New("get without an action id")
	}
	for i, dir := range c.dirs() {
		e, path, ok := lookup(dir, action)
		if !ok {
			continue
		}
		if c.out != "" && i > 0 && !slices.Contains(c.ro, dir) {
			// the layer being made must hold everything the build used;
			// what goes into it is checked against its output id on the way
			copied, err := copyVerified(path, outputFile(c.out, e.output), e.output)
			if errors.Is(err, errCorrupt) {
				c.warnf("%s: %v; compiling it again", path, err)
				continue
			}
			if err == nil {
				err = writeAtomic(actionFile(c.out, action), []byte(e.line()), false)
			}
			if err != nil {
				c.warnf("copying a build cache entry into the layer: %v", err)
			} else {
				path = copied
			}
		}
		if c.isRW(dir) {
			touch(actionFile(dir, action), path)
		}
		t := e.time
		resp.OutputID, resp.Size, resp.Time, resp.DiskPath = e.output, e.size, &t, path
		return nil
	}
	resp.Miss = true
	return nil
}

// put writes the output and its entry to -out and every -rw directory. A
// shared (-rw) directory that cannot be written (full, read-only) costs
// only the cache write: a warning, and the entry goes to a directory of
// this process's own if nothing else took it. When a layer is being made
// the go command gets the layer's copy at once and the shared directories
// get theirs in the background (synced there, off the compile's path:
// most of a cold precompile's puts are large archives).
func (c *layeredCache) put(action, output, body []byte) (string, error) {
	if len(action) == 0 || len(output) == 0 {
		return "", errors.New("put without an action or output id")
	}
	e := entry{action: action, output: output, size: int64(len(body)), time: time.Now()}
	if c.out != "" {
		// the layer being made: BuildKit commits it whole, so no fsync
		path, err := writeEntry(c.out, e, body, false)
		if err != nil {
			return "", err
		}
		if len(c.rw) > 0 {
			c.queueShared(entryBody{e, body})
		}
		return path, nil
	}
	first := c.writeShared(e, body)
	if first != "" {
		return first, nil
	}
	dir, err := c.fallbackDir()
	if err != nil {
		return "", err
	}
	return writeEntry(dir, e, body, false)
}

// writeShared writes an entry to every -rw directory, synced, and returns
// its output's path in the first that took it ("" if none did).
func (c *layeredCache) writeShared(e entry, body []byte) string {
	var first string
	for _, dir := range c.rw {
		path, err := writeEntry(dir, e, body, true)
		if err != nil {
			c.warnf("cannot write to the shared build cache %s (%v); this build keeps its entries to itself", dir, err)
			continue
		}
		if first == "" {
			first = path
		}
	}
	return first
}

// queueShared hands an entry to the shared writer, starting it first.
func (c *layeredCache) queueShared(p entryBody) {
	if c.shared == nil {
		c.shared = make(chan entryBody, sharedQueue)
		c.sharedDone = make(chan struct{})
		go func(in <-chan entryBody, done chan<- struct{}) {
			defer close(done)
			for p := range in {
				c.writeShared(p.e, p.body)
			}
		}(c.shared, c.sharedDone)
	}
	c.shared <- p
}

// flush waits until the shared writer has written every queued entry.
func (c *layeredCache) flush() {
	if c.shared == nil {
		return
	}
	close(c.shared)
	<-c.sharedDone
	c.shared, c.sharedDone = nil, nil
}

// writeEntry writes an output (unless an identical-size one is there) and
// its action entry to dir.
func writeEntry(dir string, e entry, body []byte, sync bool) (string, error) {
	path := outputFile(dir, e.output)
	if fi, err := os.Stat(path); err != nil || fi.Size() != e.size {
		if err := writeAtomic(path, body, sync); err != nil {
			return "", err
		}
	}
	if err := writeAtomic(actionFile(dir, e.action), []byte(e.line()), sync); err != nil {
		return "", err
	}
	return path, nil
}

// fallbackDir is a build cache directory of this process's own, for when
// no shared one can be written.
func (c *layeredCache) fallbackDir() (string, error) {
	if c.fallback == "" {
		dir, err := os.MkdirTemp("", "gotool-cache-")
		if err != nil {
			return "", fmt.Errorf("no build cache directory can be written: %v", err)
		}
		c.fallback = dir
	}
	return c.fallback, nil
}

func (c *layeredCache) isRW(dir string) bool {
	for _, d := range c.rw {
		if d == dir {
			return true
		}
	}
	return false
}

// warnf tells the build's log about a cache problem that does not fail it,
// once per kind of message.
func (c *layeredCache) warnf(format string, args ...any) {
	c.warnMu.Lock()
	defer c.warnMu.Unlock()
	msg := fmt.Sprintf(format, args...)
	key := format
	if c.warned == nil {
		c.warned = map[string]bool{}
	}
	if c.warned[key] {
		return
	}
	c.warned[key] = true
	fmt.Fprintf(os.Stderr, "gotool cacheprog: warning: %s\n", msg)
}

// mtimeInterval and trimAge are the go command's: it refreshes an entry's
// file times on use when they are older than an hour, and its cache trim
// (run by plain `go build`s on the same directory) deletes entries unused
// for five days. Refreshing on a hit keeps what the layered builds use from
// being trimmed under them.
const mtimeInterval = time.Hour

// touch refreshes the file times of files older than mtimeInterval.
func touch(files ...string) {
	now := time.Now()
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && now.Sub(fi.ModTime()) > mtimeInterval {
			_ = os.Chtimes(f, now, now)
		}
	}
}

// writeAtomic writes data to path through a temporary file and a rename, so
// concurrent builds sharing a directory never see half a file; with sync
// the data reaches the disk before the rename, so a crash cannot leave a
// named entry with garbage in it.
func writeAtomic(path string, data []byte, sync bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), tmpPrefix+"*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

const tmpPrefix = ".tmp-"

// errCorrupt is an output file whose content does not hash to its id.
var errCorrupt = errors.New("the cached output does not match its id")

// copyVerified copies src to dst unless dst already holds it, checking
// that the content's SHA-256 is id (the go command's output ids are the
// SHA-256 of the output). It returns dst.
func copyVerified(src, dst string, id []byte) (string, error) {
	if fi, err := os.Stat(dst); err == nil {
		if si, err := os.Stat(src); err == nil && si.Size() == fi.Size() {
			return dst, nil
		}
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return "", err
	}
	if sum := sha256.Sum256(data); !bytes.Equal(sum[:], id) {
		return "", errCorrupt
	}
	return dst, writeAtomic(dst, data, false)
}

func copyFile(src, dst string) error {
	if fi, err := os.Stat(dst); err == nil {
		if si, err := os.Stat(src); err == nil && si.Size() == fi.Size() {
			return nil
		}
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return writeAtomic(dst, data, true)
}

// sweepAge is how old a temporary file must be to count as left by a
// crashed writer, and sweepEvery how often a directory is swept (a marker
// file's time says when it last was).
const (
	sweepAge   = time.Hour
	sweepEvery = 24 * time.Hour
	sweepMark  = "goscratch-sweep.txt"
)

// sweepStale removes the temporary files a crashed writer left in the
// build cache dir (in its 256 subdirectories), at most once a day. It is
// best-effort: an error only skips what it concerns.
func sweepStale(dir string, now time.Time) int {
	mark := filepath.Join(dir, sweepMark)
	if fi, err := os.Stat(mark); err == nil && now.Sub(fi.ModTime()) < sweepEvery {
		return 0
	}
	if err := os.WriteFile(mark, nil, 0o644); err != nil {
		return 0 // read-only or full: put warns about it
	}
	_ = os.Chtimes(mark, now, now)
	removed := 0
	subs, _ := os.ReadDir(dir)
	for _, sub := range subs {
		if !sub.IsDir() || len(sub.Name()) != 2 {
			continue
		}
		files, _ := os.ReadDir(filepath.Join(dir, sub.Name()))
		for _, f := range files {
			if !strings.HasPrefix(f.Name(), tmpPrefix) {
				continue
			}
			if fi, err := f.Info(); err == nil && now.Sub(fi.ModTime()) > sweepAge {
				if os.Remove(filepath.Join(dir, sub.Name(), f.Name())) == nil {
					removed++
				}
			}
		}
	}
	return removed
}
