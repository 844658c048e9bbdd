package frontend

import "testing"

func TestTemplateArgsRedactSource(t *testing.T) {
	in := map[string]string{"VCS_SOURCE": "https://u:tok@host/r?x=1", "VERSION": "1.2"}
	got := templateArgs(in)
	if got["VCS_SOURCE"] != "https://host/r" || got["VERSION"] != "1.2" {
		t.Errorf("templateArgs = %v", got)
	}
	if in["VCS_SOURCE"] != "https://u:tok@host/r?x=1" {
		t.Errorf("templateArgs changed the request's build args: %v", in)
	}
	if _, ok := templateArgs(map[string]string{})["VCS_SOURCE"]; ok {
		t.Error("templateArgs added VCS_SOURCE")
	}
}
