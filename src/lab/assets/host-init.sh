#!/bin/sh
# minesweep lab: PID 1 of one lab host. Runs inside the host's network namespace and fresh
# mount/PID/UTS namespaces (unshare). Builds the host's root (overlayfs over / with its own
# upper layer on a tmpfs that exists only in this mount namespace), pivots into it, runs the
# host's generated setup (/run/lab/setup.sh: accounts, sshd, cron, scenario), then reaps
# children forever. Usage: host-init.sh HOSTDIR LABDIR [DIR_TO_HIDE...]
set -eu
H=$1
LABDIR=$2
shift 2
M=$H/mnt
mount -t tmpfs -o mode=755,size=512m labhost "$M"
mkdir -p "$M/upper/root" "$M/work" "$M/fs"
# The machine's root home and the lab directories stay invisible inside the host.
setfattr -n trusted.overlay.opaque -v y "$M/upper/root"
hide=$(dirname "$LABDIR")
[ "$hide" = / ] && hide=$LABDIR
mkdir -p "$M/upper$hide"
setfattr -n trusted.overlay.opaque -v y "$M/upper$hide"
# Other controller-only trees (the minesweep checkout) look empty inside the host too.
for d in "$@"; do
  case $d in /|/usr|/usr/*|/etc|/etc/*|/bin|/sbin|/lib|/lib*) continue ;; esac
  [ -d "$d" ] || continue
  mkdir -p "$M/upper$d"
  setfattr -n trusted.overlay.opaque -v y "$M/upper$d"
done
mount -t overlay overlay -o "lowerdir=/,upperdir=$M/upper,workdir=$M/work" "$M/fs"
F=$M/fs
mount -t proc proc "$F/proc"
mount -t sysfs sysfs "$F/sys"
mount -t tmpfs -o mode=755 run "$F/run"
mount -t tmpfs -o mode=1777 tmp "$F/tmp"
mount -t tmpfs -o mode=755,size=1m dev "$F/dev"
for d in null zero full random urandom tty; do : > "$F/dev/$d"; mount --bind "/dev/$d" "$F/dev/$d"; done
mkdir "$F/dev/pts" "$F/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$F/dev/pts"
ln -s pts/ptmx "$F/dev/ptmx"
ln -s /proc/self/fd "$F/dev/fd"
ln -s /proc/self/fd/0 "$F/dev/stdin"
ln -s /proc/self/fd/1 "$F/dev/stdout"
ln -s /proc/self/fd/2 "$F/dev/stderr"
mount -t tmpfs -o mode=1777 shm "$F/dev/shm"
mkdir -p "$F/run/lab"
mount --bind "$H" "$F/run/lab"
cd "$F"
pivot_root . .
umount -l .
cd /
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
unset LD_PRELOAD || true
# Setup output and the outcome go to the host's directory on the controller (bind-mounted).
if ( set -eu; . /run/lab/setup.sh ) > /run/lab/setup.log 2>&1; then
  echo ready > /run/lab/status
else
  echo failed > /run/lab/status
fi
umount -l /run/lab
rmdir /run/lab
# PID 1: dash's wait reaps every child, adopted orphans included.
exec /bin/sh -c 'trap "exit 0" TERM; while :; do sleep 5 & wait $!; done'
