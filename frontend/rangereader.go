package frontend

import (
	"context"
	"io"

	"github.com/moby/buildkit/frontend/gateway/client"
)

// rangeReader is an io.ReaderAt over one file of a gateway reference that
// fetches only the blocks asked for, so ELF headers and build info are read
// without transferring whole binaries.
type rangeReader struct {
	ctx    context.Context
	ref    client.Reference
	name   string
	size   int64
	blocks map[int64][]byte
}

const rangeBlock = 64 << 10

func newRangeReader(ctx context.Context, ref client.Reference, name string) (*rangeReader, error) {
	st, err := ref.StatFile(ctx, client.StatRequest{Path: name})
	if err != nil {
		return nil, err
	}
	return &rangeReader{ctx: ctx, ref: ref, name: name, size: st.Size, blocks: map[int64][]byte{}}, nil
}

func (r *rangeReader) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		pos := off + int64(n)
		if pos >= r.size {
			return n, io.EOF
		}
		start := pos - pos%rangeBlock
		b, err := r.block(start)
		if err != nil {
			return n, err
		}
		c := copy(p[n:], b[pos-start:])
		if c == 0 {
			return n, io.ErrUnexpectedEOF
		}
		n += c
	}
	return n, nil
}

func (r *rangeReader) block(start int64) ([]byte, error) {
	if b, ok := r.blocks[start]; ok {
		return b, nil
	}
	b, err := r.ref.ReadFile(r.ctx, client.ReadRequest{
		Filename: r.name,
		Range:    &client.FileRange{Offset: int(start), Length: rangeBlock},
	})
	if err != nil {
		return nil, err
	}
	r.blocks[start] = b
	return b, nil
}
