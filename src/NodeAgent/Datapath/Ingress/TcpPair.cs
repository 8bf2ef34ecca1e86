using System.Buffers;
using System.Net.Sockets;

namespace WgIsolate.Datapath.Ingress;

/// <summary>
/// Copies both directions of one forwarded connection. An end of stream on one side becomes a shutdown(SHUT_WR) on
/// the other, so half-closed connections (a client that sends its request and then shuts down writing) still get
/// their answer; the pair ends when both directions have ended. An error on either side (reset, stop) resets both.
/// </summary>
internal static class TcpPair
{
    private const int BufferSize = 64 * 1024;

    public static async Task RunAsync(Socket client, Socket inside, CancellationToken stopping)
    {
        client.NoDelay = true;
        inside.NoDelay = true;
        var toInside = PumpAsync(client, inside, stopping);
        var toClient = PumpAsync(inside, client, stopping);
        if (!await await Task.WhenAny(toInside, toClient).ConfigureAwait(false))
        {
            Reset(client);
            Reset(inside);
        }

        var cleanly = await toInside.ConfigureAwait(false) & await toClient.ConfigureAwait(false);
        if (cleanly)
        {
            client.Dispose();
            inside.Dispose();
        }
        else
        {
            Reset(client);
            Reset(inside);
        }
    }

    /// <summary>Close(0) is .NET's abortive close (SO_LINGER 0): the peer sees a reset, not an end of stream.</summary>
    public static void Reset(Socket socket) => socket.Close(0);

    /// <summary>True when the source ended cleanly and the end was passed on; false on any error or stop.</summary>
    private static async Task<bool> PumpAsync(Socket from, Socket to, CancellationToken stopping)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var received = await from.ReceiveAsync(buffer, SocketFlags.None, stopping).ConfigureAwait(false);
                if (received == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return true;
                }

                await to.SendAsync(buffer.AsMemory(0, received), SocketFlags.None, stopping).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
