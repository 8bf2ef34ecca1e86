using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink;

namespace WgIsolate.KernelWireGuardVm.Probe;

/// <summary>
/// Passes datagrams through to the real kernel and prints each as `CAPTURE name send|recv hex`, so the host can keep
/// real kernel replies as golden files for the unprivileged datapath tests.
/// </summary>
public sealed class RecordingTransport(INetlinkTransport inner, string name) : INetlinkTransport
{
    public uint PortId => inner.PortId;

    public void Send(ReadOnlySpan<byte> message)
    {
        Print("send", message);
        inner.Send(message);
    }

    public byte[] Receive()
    {
        var datagram = inner.Receive();
        Print("recv", datagram);
        return datagram;
    }

    public void Dispose() => inner.Dispose();

    public static NetlinkSocket Open(NetlinkProtocol protocol, string name) =>
        new(new RecordingTransport(SocketTransport.Open(protocol), name), protocol);

    public static NetlinkSocket OpenIn(NetnsHandle netns, NetlinkProtocol protocol, string name) =>
        new(new RecordingTransport(NetnsThread.Run(netns, () => SocketTransport.Open(protocol)), name), protocol);

    private void Print(string direction, ReadOnlySpan<byte> bytes)
    {
        Console.Out.WriteLine($"CAPTURE {name} {direction} {Convert.ToHexString(bytes).ToLowerInvariant()}");
        Console.Out.Flush();
    }
}
