namespace WgIsolate.KernelWireGuardVm.Tests;

/// <summary>
/// The replies the probe captures for tests/Datapath.Tests/Golden/Kernel, checked at the source: what the datapath made
/// of them inside the VM, and that the CAPTURE lines to copy are there.
/// </summary>
public sealed class KernelCaptureTests
{
    private const int Enodev = 19;
    private const int Erange = 34;

    [VmFact]
    public void GetDeviceDump_AfterTraffic_IsCapturedWithBothPeers()
    {
        var capture = ProbeVm.Passed("capture-get-device");

        Assert.Equal(2, capture.GetProperty("peers").GetArrayLength());
        Assert.Equal(51821, capture.GetProperty("listenPort").GetInt32());
        AssertCaptured("genl-getdevice-receiver");
    }

    [VmFact]
    public void GetDeviceDump_WithOnePeerTooLargeForOneMessage_IsSplitByTheKernelAndCoalesced()
    {
        var capture = ProbeVm.Passed("capture-get-device-split-peer");

        Assert.True(capture.GetProperty("replyMessages").GetInt32() > 1, capture.ToString());
        var peer = Assert.Single(capture.GetProperty("peers").EnumerateArray());
        Assert.Equal(capture.GetProperty("allowedIPsConfigured").GetInt32(), peer.GetProperty("allowedIPs").GetInt32());
        Assert.True(capture.GetProperty("allowedIPsEqual").GetBoolean());
        AssertCaptured("genl-getdevice-split-peer");
    }

    [VmFact]
    public void SetDevice_ForAMissingDevice_IsRefusedWithEnodev()
    {
        var capture = ProbeVm.Passed("capture-set-device-no-device");

        Assert.Equal(Enodev, capture.GetProperty("errno").GetInt32());
        AssertCaptured("genl-setdevice-no-device");
    }

    [VmFact]
    public void SetDevice_WithAShortKey_IsRefusedWithErangeAndAnExtendedAckPointingAtTheKey()
    {
        var capture = ProbeVm.Passed("capture-set-device-bad-key");

        Assert.Equal(Erange, capture.GetProperty("errno").GetInt32());
        Assert.False(string.IsNullOrEmpty(capture.GetProperty("kernelMessage").GetString()), capture.ToString());
        Assert.Equal(capture.GetProperty("offsetOfBadAttribute").GetInt32(), capture.GetProperty("attributeOffset").GetInt32());
        AssertCaptured("genl-setdevice-bad-key");
    }

    private static void AssertCaptured(string name)
    {
        var lines = ProbeVm.Console.Lines.Where(line => line.StartsWith($"CAPTURE {name} ", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, line => line.StartsWith($"CAPTURE {name} send ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith($"CAPTURE {name} recv ", StringComparison.Ordinal));
    }
}
