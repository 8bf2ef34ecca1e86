using System.Net.Sockets;
using System.Text;

namespace WgIsolate.WireGuard.Tests;

/// <summary>A UAPI socket in a temporary directory that answers each connection with one canned reply.</summary>
internal sealed class FakeUapiServer : IDisposable
{
    private readonly Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly Task serving;

    public FakeUapiServer(string device, params string[] replies)
    {
        Directory = Path.Combine(Path.GetTempPath(), "uapi-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
        listener.Bind(new UnixDomainSocketEndPoint(Path.Combine(Directory, device + ".sock")));
        listener.Listen();
        serving = Task.Run(() => Serve(replies));
    }

    public string Directory { get; }

    public List<string> Requests { get; } = [];

    public void WaitServed() => Assert.True(serving.Wait(TimeSpan.FromSeconds(10)), "fake UAPI server did not finish");

    private void Serve(string[] replies)
    {
        foreach (var reply in replies)
        {
            using var connection = listener.Accept();
            var request = new StringBuilder();
            var buffer = new byte[4096];
            while (!request.ToString().EndsWith("\n\n", StringComparison.Ordinal))
            {
                var read = connection.Receive(buffer);
                if (read == 0)
                {
                    break;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            Requests.Add(request.ToString());
            connection.Send(Encoding.ASCII.GetBytes(reply));
        }
    }

    public void Dispose()
    {
        listener.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
