#!/usr/bin/env bash
# The system packages minesweep's tests and lab need (Debian 12). Idempotent.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
  openssh-server openssh-client   # sshd in every lab host, ssh for tests
  cron                            # a real cron daemon per lab host
  redis-server redis-tools        # the exposed-Redis scenario and its hardening
  iptables iproute2               # per-namespace firewalls, netns, veth, bridge
  e2fsprogs attr                  # chattr / lsattr, setfattr
  curl wget passwd                # the lab's cron droppers, lab users
  time                            # the benchmark's CPU and RSS figures
  procps psmisc util-linux        # ps, pkill, unshare, nsenter
  sudo                            # become tests
  gcc libc6-dev                   # the lab's fake miner is compiled at lab up
  chromium                        # the report is checked in headless Chromium
  ansible-core pssh               # benchmark contenders and inventory fixtures
  busybox dash                    # the probe is checked under busybox sh and dash
  nginx-light postgresql openjdk-17-jdk-headless  # the detection lab's clean production hosts (real services)
)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  apt-get update
  # Keep the installs from starting system services: the lab starts its own, per host.
  had_policy=0; [[ -e /usr/sbin/policy-rc.d ]] && had_policy=1
  ((had_policy)) || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
  apt-get install -y "${missing[@]}"
  ((had_policy)) || rm -f /usr/sbin/policy-rc.d
fi
