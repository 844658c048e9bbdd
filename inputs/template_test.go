package inputs

import "testing"

func TestTemplateDataRedactsSource(t *testing.T) {
	args := map[string]string{"VCS_SOURCE": "https://u:tok@host/r?x=1", "VERSION": "1.2"}
	got := templateData(args, map[string]string{OptVCSRevision: "abc", OptVCSSource: "https://other"})
	if got.Args["VCS_SOURCE"] != "https://host/r" || got.Args["VERSION"] != "1.2" || got.Source != "https://host/r" || got.Version != "1.2" {
		t.Errorf("templateData = %+v", got)
	}
	if got.Revision != "abc" {
		t.Errorf("Revision = %q: buildx's vcs:revision applies when VCS_REVISION is not given", got.Revision)
	}
	if args["VCS_SOURCE"] != "https://u:tok@host/r?x=1" {
		t.Errorf("templateData changed the request's build args: %v", args)
	}
	if _, ok := templateData(map[string]string{}, nil).Args["VCS_SOURCE"]; ok {
		t.Error("templateData added VCS_SOURCE")
	}
	if got := templateData(nil, map[string]string{OptVCSSource: "https://u:p@h/r"}); got.Source != "https://h/r" {
		t.Errorf("vcs:source not redacted: %q", got.Source)
	}
}
