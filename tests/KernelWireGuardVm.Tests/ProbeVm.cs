using System.Text.Json;
using WgIsolate.KernelVm;

namespace WgIsolate.KernelWireGuardVm.Tests;

/// <summary>
/// One boot for every probe scenario (a boot costs ~10-30 s under TCG): the link-level scenarios with iproute2
/// cross-checks, then the agent's scenarios through the converger. Each test picks its scenario's record.
/// </summary>
public static class ProbeVm
{
    // `probe apps` may fail one scenario without hiding the others' records, so it does not stop the script.
    private const string Script = """
        set -e
        $IP link set lo up
        /probe/probe setup
        echo "BEGIN ip-addr"
        $IP -n probe1 -j addr show dev wgp0
        echo "END ip-addr"
        echo "BEGIN ip-link-details"
        $IP -n probe1 -j -d link show dev wgp0
        echo "END ip-link-details"
        /probe/probe teardown
        echo "BEGIN after-removal"
        $IP -j -d link show type wireguard
        $IP netns list
        echo "END after-removal"
        /probe/probe apps || echo "probe apps: a scenario failed (see its PROBE record)"
        echo "BEGIN after-apps"
        $IP -j -d link show type wireguard
        $IP netns list
        echo "END after-apps"
        """;

    // The converger reads every namespace's ruleset through libnftables.
    private static readonly string[] Libraries = ["/usr/lib/x86_64-linux-gnu/libnftables.so.1"];

    private static readonly Lazy<VmConsole> Run = new(() =>
    {
        var kernel = KernelPackage.Obtain();
        var image = Initramfs.Build(kernel, Script, ProbeBinary.InitramfsFiles(), Libraries);
        return QemuVm.Boot(kernel, image, VmLimits.Timeout);
    });

    public static VmConsole Console => Run.Value.EnsurePassed();

    /// <summary>The scenario's record, asserted to have run without an exception inside the VM.</summary>
    public static JsonElement Passed(string scenario)
    {
        var record = Assert.Single(Console.ProbeRecords(), r => r.GetProperty("scenario").GetString() == scenario);
        Assert.True(record.GetProperty("ok").GetBoolean(), record.ToString());
        return record;
    }

    public static IReadOnlyList<string> Strings(this JsonElement element, string property) =>
        [.. element.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>`wg show dump` peer lines (the first line is the interface), split into their tab-separated fields.</summary>
    public static IReadOnlyList<string[]> WgPeers(this JsonElement element, string property) =>
        [.. element.Strings(property).Skip(1).Select(line => line.Split('\t'))];
}
