using System.Net.Sockets;
using WgIsolate.Datapath.Interop;

namespace WgIsolate.Datapath.Ingress;

/// <summary>Accepts on the host port and pairs every connection with one opened inside the namespace.</summary>
internal sealed class TcpForwarder(IngressRule rule, IngressOptions options) : IngressForwarder(rule, options)
{
    // After an unexpected accept error (EMFILE, ENOBUFS) the loop waits before retrying instead of spinning.
    private static readonly TimeSpan AcceptBackoff = TimeSpan.FromMilliseconds(100);

    private protected override void Run() => _ = AcceptLoopAsync();

    private async Task AcceptLoopAsync()
    {
        while (!Stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await HostSocket.AcceptAsync(Stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStop(e))
            {
                return;
            }
            catch (SocketException e)
            {
                Fail("accept", e);
                await Task.Delay(AcceptBackoff, Options.Time, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        Socket? inside = null;
        try
        {
            inside = OpenInside(SocketType.Stream, ProtocolType.Tcp);
            await inside.ConnectAsync(Target, Stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ErrnoException || IsStop(e))
        {
            if (!IsStop(e))
            {
                Fail($"connection from {client.RemoteEndPoint} not forwarded", e);
            }

            TcpPair.Reset(client);
            if (inside is not null)
            {
                // The connect may have completed in the kernel just before a stop cancelled it.
                TcpPair.Reset(inside);
            }

            return;
        }

        Counters.Opened();
        try
        {
            await TcpPair.RunAsync(client, inside, Stopping).ConfigureAwait(false);
        }
        finally
        {
            Counters.Closed();
        }
    }
}
