package llb

import (
	"maps"
	"slices"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
)

// sshSocket is where the forwarded ssh agent is mounted in the download step.
const sshSocket = "/run/buildkit/ssh_agent.0"

// needsPrivate reports whether the download step gets secrets or the ssh
// agent, and so runs through gotool.
func needsPrivate(r *spec.Resolved) bool {
	return len(r.Secrets) > 0 || r.SSH
}

// privateArgs tell gotool download which secrets and agent the spec
// declares, so it can say which one a failed download was missing.
func privateArgs(r *spec.Resolved) []string {
	var args []string
	for _, s := range r.Secrets {
		if s.Env != "" {
			args = append(args, "-secret", s.ID+"=env:"+s.Env)
		} else {
			args = append(args, "-secret", s.ID+"=file:"+s.Target)
		}
	}
	if r.SSH {
		args = append(args, "-ssh")
	}
	return args
}

// privateRunOptions mount each secret and the ssh agent into the
// download step. Secret and ssh mounts are never part of a snapshot, so no
// layer, cache export or later step sees them; only their ids and targets
// are in the LLB. A secret is optional unless the spec requires it: then
// gotool explains what is missing when the download fails.
func privateRunOptions(r *spec.Resolved, opt Options) []llb.RunOption {
	var opts []llb.RunOption
	env := map[string]string{}
	for _, s := range r.Secrets {
		so := []llb.SecretOption{llb.SecretID(s.ID)}
		if !s.Required {
			so = append(so, llb.SecretOptional)
		}
		if s.Env != "" {
			opts = append(opts, llb.AddSecretWithDest(s.ID, nil, append(so, llb.SecretAsEnvName(s.Env))...))
			continue
		}
		opts = append(opts, llb.AddSecret(s.Target, so...))
		if s.ID == spec.NetrcSecret {
			env["NETRC"] = s.Target
		}
	}
	if r.SSH {
		opts = append(opts, llb.AddSSHSocket(llb.SSHID("default"), llb.SSHSocketTarget(sshSocket), llb.SSHOptional))
		env["SSH_AUTH_SOCK"] = sshSocket
	}
	for _, k := range slices.Sorted(maps.Keys(env)) {
		if _, set := r.Goenv[k]; !set {
			opts = append(opts, llb.AddEnv(k, env[k]))
		}
	}
	return opts
}
