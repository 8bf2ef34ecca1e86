#!/usr/bin/env bash
# Installs, from Debian's packages, what the test suites need and the machine lacks.
# Only missing packages are installed, with --no-install-recommends (wireguard-tools would pull a kernel otherwise).
set -euo pipefail

# command-or-file  package
needs=(
  "wireguard-go:wireguard-go"        # userspace WireGuard: the datapath backend on kernels without the module
  "wg:wireguard-tools"               # cross-checks in tests only; product code never runs it
  "nft:nftables"                     # cross-checks in tests only
  "/usr/lib/x86_64-linux-gnu/libnftables.so.1:libnftables1"
  "ip:iproute2"                      # cross-checks in tests only
  "ping:iputils-ping"
  "nc:netcat-openbsd"
  "qemu-system-x86_64:qemu-system-x86"  # kernel WireGuard VM test: boots Debian's kernel (which has the module)
  "/bin/busybox:busybox-static"      # the VM's userland (static, so it needs no libraries)
  "cpio:cpio"                        # packs the VM's initramfs
  "depmod:kmod"                      # orders the VM's module list (the kernel .deb ships no modules.dep)
  "file:file"                        # checks busybox is the static build
  "clang-14:clang-14"                # NativeAOT publish of the in-VM probe (ILCompiler links with clang)
  "podman:podman"                    # host mode: a container run in an app's namespace (--network ns:)
  "runc:runc"                        # podman's runtime here (crun refuses the hybrid cgroup layout)
  "systemd-analyze:systemd"          # host mode: the example units and `wgisolate unit` output are verified
)

missing=()
for entry in "${needs[@]}"; do
  what=${entry%%:*}; pkg=${entry#*:}
  if [[ $what == /* ]]; then [[ -e $what ]] || missing+=("$pkg")
  else command -v "$what" >/dev/null 2>&1 || missing+=("$pkg"); fi
done

if ((${#missing[@]})); then
  echo "installing test prerequisites: ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "error: need root to install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
