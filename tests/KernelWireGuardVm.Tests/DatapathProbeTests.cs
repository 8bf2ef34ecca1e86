using System.Text.Json;
using WgIsolate.KernelVm;
using Xunit.Abstractions;

namespace WgIsolate.KernelWireGuardVm.Tests;

/// <summary>
/// The datapath's own code, NativeAOT-published, against a kernel that has WireGuard; iproute2 cross-checks each step.
/// </summary>
public sealed class DatapathProbeTests(ITestOutputHelper output)
{
    private static VmConsole Console => ProbeVm.Console;

    private static JsonElement Record(string scenario) => ProbeVm.Passed(scenario);

    [VmFact]
    public void BackendDetector_ChoosesTheKernelBackend()
    {
        var record = Record("backend-detected");
        Assert.Equal("kernel", record.GetProperty("backend").GetString());
    }

    [VmFact]
    public void Probe_ResolvesTheWireGuardGenericNetlinkFamily()
    {
        output.WriteLine(Console.Timing);
        var record = Record("genl-family");
        Assert.True(record.GetProperty("familyId").GetInt32() > 0x10, record.ToString());
    }

    [VmFact]
    public void Probe_CreatesKernelLinkInRootMovesItAndAddressesIt_AsIproute2Sees()
    {
        Record("link-in-namespace");

        using var addr = JsonDocument.Parse(string.Join('\n', Console.Section("ip-addr")));
        var link = Assert.Single(addr.RootElement.EnumerateArray());
        Assert.Contains("UP", link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains(link.GetProperty("addr_info").EnumerateArray(),
            a => a.GetProperty("local").GetString() == "fd00::1" && a.GetProperty("prefixlen").GetInt32() == 64);

        using var details = JsonDocument.Parse(string.Join('\n', Console.Section("ip-link-details")));
        var kind = Assert.Single(details.RootElement.EnumerateArray()).GetProperty("linkinfo").GetProperty("info_kind").GetString();
        Assert.Equal("wireguard", kind);
    }

    [VmFact]
    public void Probe_DuplicateLink_IsRefusedWithEexist()
    {
        var record = Record("duplicate-link-error");
        Assert.Equal(17, record.GetProperty("errno").GetInt32()); // EEXIST
    }

    [VmFact]
    public void Probe_Removal_LeavesNoWireGuardLinkAndNoNamespace()
    {
        Record("link-removal");
        var after = Console.Section("after-removal");
        Assert.Equal(["[]"], after.Where(line => line.Length > 0).ToArray());
    }
}
