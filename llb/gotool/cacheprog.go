package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ---- cacheprog ----

// cacheprog serves the go command's build cache (GOCACHEPROG) from layered
// directories in the go command's own GOCACHE layout, so a cache made by a
// plain `go build` (or by an older Go) reads the same:
//
//	-out DIR  the dependency layer being made: every entry the build gets or
//	          puts ends up here, so the layer holds exactly what the build used
//	-rw DIR   read and written (the persistent cache mount)
//	-ro DIR   read only (the dependency layer of an earlier step)
//
// A get looks in -out, then each -rw, then each -ro, in flag order.
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
}

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
	for {
		var req cacheRequest
		if err := dec.Decode(&req); err != nil {
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
		dirs = append(dirs, c.out)
	}
	dirs = append(dirs, c.rw...)
	return append(dirs, c.ro...)
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
		if c.out != "" && i > 0 {
			// the layer being made must hold everything the build used
			if err := copyFile(path, outputFile(c.out, e.output)); err != nil {
				return err
			}
			if err := writeAtomic(actionFile(c.out, action), []byte(e.line())); err != nil {
				return err
			}
			path = outputFile(c.out, e.output)
		}
		t := e.time
		resp.OutputID, resp.Size, resp.Time, resp.DiskPath = e.output, e.size, &t, path
		return nil
	}
	resp.Miss = true
	return nil
}

// put writes the output and its entry to -out and every -rw directory.
func (c *layeredCache) put(action, output, body []byte) (string, error) {
	if len(action) == 0 || len(output) == 0 {
		return "", errors.New("put without an action or output id")
	}
	e := entry{action: action, output: output, size: int64(len(body)), time: time.Now()}
	var first string
	for _, dir := range append([]string{c.out}, c.rw...) {
		if dir == "" {
			continue
		}
		path := outputFile(dir, output)
		if fi, err := os.Stat(path); err != nil || fi.Size() != e.size {
			if err := writeAtomic(path, body); err != nil {
				return "", err
			}
		}
		if err := writeAtomic(actionFile(dir, action), []byte(e.line())); err != nil {
			return "", err
		}
		if first == "" {
			first = path
		}
	}
	if first == "" {
		return "", errors.New("put: no writable cache directory (-out or -rw)")
	}
	return first, nil
}

// writeAtomic writes data to path through a temporary file and a rename, so
// concurrent builds sharing a directory never see half a file.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o666)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
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
	return writeAtomic(dst, data)
}
