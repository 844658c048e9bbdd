package spec

// Field positions of a resolved target, for source maps: each build step
// points at the spec line that asked for it.

// positionFields are the fields whose steps get their own position.
var positionFields = []string{"module", "user", "certs", "zoneinfo", "files"}

// FieldPos is where the field in effect for this target is written: the
// target's own field, or the top level's it inherits. field is a name of
// positionFields or a files item ("files[1]"). It falls back to the
// target's position (Pos) when the field is not written.
func (r *Resolved) FieldPos(field string) Pos {
	if p, ok := r.fieldPos[field]; ok && p.Line > 0 {
		return p
	}
	return r.Pos
}

// fieldPositions records, for target ("" for the top level), where each
// position field and each files item in effect is written.
func (s *Spec) fieldPositions(target string) map[string]Pos {
	at := func(field string) string { // the target's own field, else the top level's
		if p := joinKey(joinKey("targets", target), field); target != "" && s.Pos(p).Line > 0 {
			return p
		}
		return field
	}
	out := map[string]Pos{}
	for _, f := range positionFields {
		out[f] = s.Pos(at(f))
	}
	files := at("files")
	for i := 0; s.Pos(joinIndex(files, i)).Line > 0; i++ {
		out[joinIndex("files", i)] = s.Pos(joinIndex(files, i))
	}
	return out
}
