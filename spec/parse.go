package spec

// Parse reads a spec strictly and validates it. file is the spec's name as
// the user gave it (for messages). On failure the error is an ErrorList with
// every problem found, each at its line and column, in file order.
func Parse(file string, data []byte) (*Spec, error) {
	errs := &errSink{file: file}
	body := loadDocument(data, errs)
	if body == nil {
		return nil, errs.result()
	}
	root := buildTree(body, errs)
	if root == nil {
		return nil, errs.result()
	}
	s := &Spec{src: newSource(file)}
	d := &decoder{errs: errs, src: s.src}
	d.spec(root, s)
	if root.kind == mapKind {
		v := &validator{s: s, errs: errs}
		v.validate()
	}
	if err := errs.result(); err != nil {
		return nil, err
	}
	return s, nil
}
