namespace WgIsolate.KernelVm;

/// <summary>The VM's /init: mounts, loads WireGuard, runs the scenario, prints the verdict marker, powers off.</summary>
public static class InitScript
{
    public static string Render(string scenario) => $$"""
        #!/bin/busybox sh
        /bin/busybox --install -s /bin
        export PATH=/sbin:/bin
        umask 077
        mount -t proc proc /proc
        mount -t sysfs sysfs /sys
        mount -t devtmpfs devtmpfs /dev
        mount -t tmpfs tmpfs /run
        mount -t tmpfs tmpfs /tmp
        mkdir -p /run/netns
        # busybox sh prefers its own applets over PATH, so iproute2's ip and wg are always called by full path.
        IP=/sbin/ip
        WG=/sbin/wg
        fail() { echo "{{Initramfs.FailMarker}}: $*"; dmesg | tail -n 20; echo o > /proc/sysrq-trigger; sleep 30; }
        echo "VMTEST BOOTED uptime=$(cut -d' ' -f1 /proc/uptime)"
        for module in $(cat /modules/order); do insmod /modules/$module || fail "insmod $module"; done
        run_scenario() {
        {{scenario}}
        }
        if run_scenario; then echo "{{Initramfs.PassMarker}} uptime=$(cut -d' ' -f1 /proc/uptime)"; else fail "scenario exited $?"; fi
        echo o > /proc/sysrq-trigger
        sleep 30
        """ + "\n";
}
