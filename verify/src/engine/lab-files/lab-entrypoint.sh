#!/bin/bash
# Entrypoint of a curso-verify lab: prepares and starts the nested dockerd (runs under tini).
# Arguments: [--seed DIR]. Names shared with the harness (lab-image.ts, checked by a unit test):
# the mirror answers as mirror:5000; a complete seed holds .curso-verify-seed-complete.
set -eu

# cgroup v2 with a private cgroup namespace: dockerd cannot create child cgroups while
# processes sit in the root one, so move them to /init first (the same trick as moby's
# hack/dind). Skipped when the cgroup namespace is the host's.
if [ -f /sys/fs/cgroup/cgroup.controllers ] && grep -qx '0::/' /proc/self/cgroup; then
  mkdir -p /sys/fs/cgroup/init
  xargs -rn1 < /sys/fs/cgroup/cgroup.procs > /sys/fs/cgroup/init/cgroup.procs 2>/dev/null || :
  sed -e 's/ / +/g' -e 's/^/+/' < /sys/fs/cgroup/cgroup.controllers > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || :
fi

# DNS. On a user network the lab resolves through the engine's embedded DNS (127.0.0.11),
# which nested containers cannot reach, so dockerd would hand them public resolvers instead
# (8.8.8.8) — wrong on machines with a local resolver, and traffic we do not want. Forward
# from the lab's own address to the embedded DNS and give nested containers that address.
dns=''
ip=$(ip -4 -o addr show dev eth0 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -n1)
if [ -n "$ip" ] && grep -q '^nameserver 127\.' /etc/resolv.conf; then
  upstream=$(awk '/^nameserver/ {print $2; exit}' /etc/resolv.conf)
  dnsmasq --listen-address="$ip" --bind-interfaces --no-resolv --no-hosts --server="$upstream" \
    --user=root --pid-file=/run/dnsmasq.pid --log-facility=/var/log/dnsmasq.log
  dns=", \"dns\": [\"$ip\"]"
fi

# Seed (see seed.ts): a read-only copy of a /var/lib/docker where the base images are already
# pulled. Copying it is several times faster than pulling and extracting them again. Only into
# an empty /var/lib/docker, only from a complete seed; then the mount is taken away, so the
# reader's machine shows no trace of it.
if [ "${1:-}" = --seed ] && [ -n "${2:-}" ]; then
  if [ -f "$2/.curso-verify-seed-complete" ] && [ -z "$(ls -A /var/lib/docker)" ]; then
    # --reflink=never: coreutils' default (auto) tries a clone/copy_file_range per file, which
    # was measured 7x slower than plain read/write here (8 s against 1.1 s for the seed).
    cp -a --reflink=never "$2/." /var/lib/docker/ && rm -f /var/lib/docker/.curso-verify-seed-complete
  fi
  umount "$2" 2>/dev/null && rmdir "$2" 2>/dev/null || :
fi

mkdir -p /etc/docker
cat > /etc/docker/daemon.json <<JSON
{
  "registry-mirrors": ["http://mirror:5000"],
  "insecure-registries": ["mirror:5000"]$dns
}
JSON

exec dockerd --host=unix:///var/run/docker.sock >>/var/log/dockerd.log 2>&1
