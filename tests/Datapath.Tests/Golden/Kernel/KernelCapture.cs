using WgIsolate.Datapath.Netlink.Protocol;
using WgIsolate.Datapath.Tests.Support;

namespace WgIsolate.Datapath.Tests.Golden.Kernel;

/// <summary>
/// A netlink exchange captured from a real kernel with the WireGuard module (the kernel VM probe's CAPTURE lines):
/// one `send HEX` or `recv HEX` per line. Replayed replies are restamped with the replaying request's seq and port.
/// </summary>
public sealed record KernelCapture(IReadOnlyList<byte[]> Sent, IReadOnlyList<byte[]> Received)
{
    public static KernelCapture Load(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Golden", "Kernel", name + ".capture"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', 2))
            .ToArray();
        return new KernelCapture(
            lines.Where(l => l[0] == "send").Select(l => Convert.FromHexString(l[1])).ToArray(),
            lines.Where(l => l[0] == "recv").Select(l => Convert.FromHexString(l[1])).ToArray());
    }

    /// <summary>A fake kernel answering each request with every captured reply datagram, restamped.</summary>
    public FakeKernel Replay()
    {
        var sent = 0;
        return new FakeKernel(request => sent++ == 0 ? Received.Select(datagram => Restamp(datagram, request)) : []);
    }

    /// <summary>A request with its sequence number cleared: the only field that differs between runs.</summary>
    public static byte[] Unsequenced(byte[] message)
    {
        var copy = (byte[])message.Clone();
        copy.AsSpan(8, 4).Clear();
        return copy;
    }

    private static byte[] Restamp(byte[] datagram, byte[] request)
    {
        var copy = (byte[])datagram.Clone();
        for (var offset = 0; offset + NetlinkHeader.Size <= copy.Length;)
        {
            var header = NetlinkHeader.Read(copy.AsSpan(offset));
            (header with { Sequence = FakeKernel.SequenceOf(request), PortId = FakeKernel.Port }).Write(copy.AsSpan(offset));
            offset += (int)((header.Length + 3) & ~3u);
        }
        return copy;
    }
}
