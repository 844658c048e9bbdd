package main

import (
	"reflect"
	"testing"
)

func TestReadCacheSize(t *testing.T) {
	for _, tc := range []struct {
		name, dir string
		want      CacheSize
		nLayers   int
		err       bool
	}{
		{name: "recorded: image manifest with the cache config as config", dir: "testdata/cache/manifest",
			want: CacheSize{Bytes: 6174 + 9271 + 52_099_714, Meta: 6174 + 9271}, nLayers: 14},
		{name: "index form, a layer listed twice counts once", dir: "testdata/cache/index",
			want: CacheSize{Bytes: 471 + 1000 + 5000 + 300, Meta: 471 + 300, Layers: []int64{5000, 1000}}, nLayers: 2},
		{name: "no cache", dir: "testdata/cache/missing", err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readCacheSize(tc.dir)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error %v", err, tc.err)
			}
			if tc.err {
				return
			}
			if got.Bytes != tc.want.Bytes || got.Meta != tc.want.Meta || len(got.Layers) != tc.nLayers {
				t.Errorf("readCacheSize = bytes %d meta %d, %d layers; want %d, %d, %d", got.Bytes, got.Meta, len(got.Layers), tc.want.Bytes, tc.want.Meta, tc.nLayers)
			}
			if tc.want.Layers != nil && !reflect.DeepEqual(got.Layers, tc.want.Layers) {
				t.Errorf("layers = %v, want %v", got.Layers, tc.want.Layers)
			}
			for i := 1; i < len(got.Layers); i++ {
				if got.Layers[i] > got.Layers[i-1] {
					t.Errorf("layers not largest first: %v", got.Layers)
				}
			}
		})
	}
}
