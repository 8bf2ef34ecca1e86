using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using WgIsolate.Datapath.Interop;

namespace WgIsolate.Datapath.Ingress;

/// <summary>
/// Receives datagrams on the host port; every client address and port gets its own flow: a UDP socket inside the
/// namespace connected to [::1]:TargetPort, whose replies go back to that client from the host port. Flows with no
/// traffic for UdpIdleTimeout are closed.
/// </summary>
internal sealed class UdpForwarder(IngressRule rule, IngressOptions options) : IngressForwarder(rule, options)
{
    private const int MaxDatagram = 65535;
    private readonly ConcurrentDictionary<IPEndPoint, UdpFlow> flows = new();
    private Task receiving = Task.CompletedTask;

    private protected override void Run()
    {
        receiving = ReceiveLoopAsync();
        _ = SweepLoopAsync();
    }

    private protected override void Stopped()
    {
        // A datagram received just before the stop may still be opening its flow: let the loop finish first (it
        // ends as soon as it sees the stop), so that no flow appears after the ones closed here.
        try
        {
            receiving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // A loop that failed has stopped too.
        }

        foreach (var flow in flows.Values)
        {
            Close(flow);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[MaxDatagram];
        var anyClient = new IPEndPoint(IPAddress.IPv6Any, 0);
        while (!Stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await HostSocket.ReceiveFromAsync(buffer, SocketFlags.None, anyClient, Stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStop(e))
            {
                return;
            }
            catch (SocketException e)
            {
                Fail("receive on host port", e);
                continue;
            }

            var client = (IPEndPoint)received.RemoteEndPoint;
            if (FlowOf(client) is { } flow)
            {
                await flow.ForwardAsync(buffer.AsMemory(0, received.ReceivedBytes), Stopping).ConfigureAwait(false);
            }
        }
    }

    private UdpFlow? FlowOf(IPEndPoint client)
    {
        if (flows.TryGetValue(client, out var existing))
        {
            return existing;
        }

        if (flows.Count >= Options.MaxUdpFlows)
        {
            Fail($"datagram from {client} dropped", new IngressException(Rule, $"{Options.MaxUdpFlows} flows are open already"));
            return null;
        }

        Socket inside;
        try
        {
            inside = OpenInside(SocketType.Dgram, ProtocolType.Udp);
            inside.Connect(Target);
        }
        catch (Exception e) when (e is SocketException or ErrnoException)
        {
            Fail($"datagram from {client} not forwarded", e);
            return null;
        }

        var flow = new UdpFlow(client, inside, Options.Time, this);
        flows[client] = flow;
        Counters.Opened();
        _ = flow.RelayRepliesAsync(HostSocket, Stopping);
        return flow;
    }

    private async Task SweepLoopAsync()
    {
        var interval = TimeSpan.FromTicks(Math.Clamp(Options.UdpIdleTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond * 5));
        while (!Stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, Options.Time, Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            foreach (var flow in flows.Values.Where(f => f.IdleFor() >= Options.UdpIdleTimeout))
            {
                Close(flow);
            }
        }
    }

    private void Close(UdpFlow flow)
    {
        if (flows.TryRemove(new KeyValuePair<IPEndPoint, UdpFlow>(flow.Client, flow)))
        {
            flow.Dispose();
            Counters.Closed();
        }
    }

    /// <summary>One client's flow; reports its failures through the forwarder that owns it.</summary>
    internal sealed class UdpFlow(IPEndPoint client, Socket inside, TimeProvider time, UdpForwarder owner) : IDisposable
    {
        private long lastActivity = time.GetTimestamp();

        public IPEndPoint Client { get; } = client;

        public TimeSpan IdleFor() => time.GetElapsedTime(Interlocked.Read(ref lastActivity));

        public async Task ForwardAsync(ReadOnlyMemory<byte> datagram, CancellationToken stopping)
        {
            Touch();
            try
            {
                await inside.SendAsync(datagram, SocketFlags.None, stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStop(e))
            {
                owner.Close(this);
            }
            catch (SocketException e)
            {
                // Typically ECONNREFUSED: an ICMP port unreachable from an earlier datagram (nothing listening yet).
                owner.Fail($"datagram from {Client} not delivered", e);
            }
        }

        public async Task RelayRepliesAsync(Socket host, CancellationToken stopping)
        {
            var buffer = new byte[MaxDatagram];
            try
            {
                while (true)
                {
                    int received;
                    try
                    {
                        received = await inside.ReceiveAsync(buffer, SocketFlags.None, stopping).ConfigureAwait(false);
                    }
                    catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
                    {
                        owner.Fail($"datagram from {Client} refused by the app (nothing listening on [::1]:{owner.Rule.TargetPort})", e);
                        continue;
                    }

                    Touch();
                    await host.SendToAsync(buffer.AsMemory(0, received), SocketFlags.None, Client, stopping).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (IsStop(e))
            {
                owner.Close(this);
            }
            catch (SocketException e)
            {
                owner.Fail($"reply to {Client}", e);
                owner.Close(this);
            }
        }

        public void Dispose() => inside.Dispose();

        private void Touch() => Interlocked.Exchange(ref lastActivity, time.GetTimestamp());
    }
}
