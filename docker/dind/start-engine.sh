#!/bin/sh
# Entry point of codeexec/dind: makes the cgroup and sysfs mounts writable when they are not, then runs
# the command (dockerd by default). Under --privileged they already are and this changes nothing. An
# engine whose own capability bounding set lacks one (CAP_SYS_RESOURCE on some VMs) cannot start a
# privileged container at all ("unable to apply caps"); such hosts run this image with every capability
# they have, no seccomp/AppArmor and all devices (the two-host test's DockerInDocker does), and then
# these mounts are read-only, so runc inside cannot make its cgroups.
set -e
if [ ! -w /sys ]; then mount -o remount,rw /sys; fi
for hierarchy in /sys/fs/cgroup /sys/fs/cgroup/*; do
  if mountpoint -q "$hierarchy" && [ ! -w "$hierarchy" ]; then mount -o remount,bind,rw "$hierarchy"; fi
done
exec "$@"
