package inputs

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// ArgSourceDateEpoch is the build arg that sets every file time and the
// image's created time.
const ArgSourceDateEpoch = "SOURCE_DATE_EPOCH"

// sourceDateEpoch reads SOURCE_DATE_EPOCH from the build args: Unix
// seconds, or `context` for the main context's commit time (git contexts),
// which fromContext resolves.
func sourceDateEpoch(ctx context.Context, buildArgs map[string]string, fromContext func(context.Context) (*time.Time, error)) (*time.Time, error) {
	v := buildArgs[ArgSourceDateEpoch]
	if v == "" {
		return nil, nil
	}
	if v == "context" {
		if fromContext == nil {
			return nil, fmt.Errorf("%s=context takes the commit time of a git build context, which this command does not have: pass Unix seconds, e.g. %s=$(git log -1 --format=%%ct)", ArgSourceDateEpoch, ArgSourceDateEpoch)
		}
		return fromContext(ctx)
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil || sec < 0 {
		return nil, fmt.Errorf("%s=%q: want Unix seconds (e.g. $(git log -1 --format=%%ct)) or \"context\"", ArgSourceDateEpoch, v)
	}
	t := time.Unix(sec, 0).UTC()
	return &t, nil
}
