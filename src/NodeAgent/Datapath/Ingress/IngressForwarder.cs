using System.Net;
using System.Net.Sockets;
using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Namespaces;

namespace WgIsolate.Datapath.Ingress;

/// <summary>
/// One running ingress rule: a socket on the host port in the host namespace, and for every TCP connection or UDP
/// flow a socket created inside the app's namespace towards [::1]:TargetPort (what the seed did with a .socket unit
/// and systemd-socket-proxyd joined to the namespace). Bytes are copied with async I/O on ordinary threads. The app
/// sees connections from [::1]. Dispose closes the host port at once, then every connection and flow.
/// </summary>
public abstract class IngressForwarder : IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly Socket hostSocket;

    private protected IngressForwarder(IngressRule rule, IngressOptions options)
    {
        Rule = rule;
        Options = options;
        hostSocket = HostPortSocket.Open(rule);
    }

    public IngressRule Rule { get; }

    public IngressStatistics Statistics => Counters.Snapshot();

    private protected IngressOptions Options { get; }

    private protected IngressCounters Counters { get; } = new();

    private protected Socket HostSocket => hostSocket;

    private protected CancellationToken Stopping => stopping.Token;

    private protected IPEndPoint Target => new(IPAddress.IPv6Loopback, Rule.TargetPort);

    /// <summary>Opens the host port and starts forwarding; a taken port or a missing namespace throws <see cref="IngressException"/>.</summary>
    public static IngressForwarder Start(IngressRule rule, IngressOptions? options = null)
    {
        if (rule.HostPort is < 1 or > 65535 || rule.TargetPort is < 1 or > 65535)
        {
            throw new IngressException(rule, $"ports must be in 1..65535 (host port {rule.HostPort}, port {rule.TargetPort})");
        }

        if (!NamedNetworkNamespaces.Exists(rule.Netns))
        {
            throw new IngressException(rule, $"network namespace {NamedNetworkNamespaces.PathOf(rule.Netns)} does not exist");
        }

        var forwarder = rule.Transport == IngressTransport.Tcp
            ? (IngressForwarder)new TcpForwarder(rule, options ?? new IngressOptions())
            : new UdpForwarder(rule, options ?? new IngressOptions());
        forwarder.Run();
        return forwarder;
    }

    public void Dispose()
    {
        if (!stopping.IsCancellationRequested)
        {
            stopping.Cancel();
            hostSocket.Dispose();
            Stopped();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the background loops once construction is complete.</summary>
    private protected abstract void Run();

    /// <summary>Closes what cancellation alone does not reach (idle UDP flows have no pending operation to cancel).</summary>
    private protected virtual void Stopped()
    {
    }

    /// <summary>A socket of the given kind inside the app's namespace; opened by name each time (see NamespaceSockets).</summary>
    private protected Socket OpenInside(SocketType type, ProtocolType protocol) =>
        NamespaceSockets.Open(Rule.Netns, AddressFamily.InterNetworkV6, type, protocol);

    private protected void Fail(string what, Exception error)
    {
        var message = $"{Rule}: {what}: {Describe(error)}";
        Counters.Failure(message);
        Options.Log?.Invoke(message);
    }

    /// <summary>What a pending operation throws when Dispose closed its socket or cancelled it: not a failure.</summary>
    private protected static bool IsStop(Exception e) =>
        e is OperationCanceledException or ObjectDisposedException
        || e is SocketException { SocketErrorCode: SocketError.OperationAborted or SocketError.Interrupted };

    private static string Describe(Exception error) => error switch
    {
        SocketException s => $"{s.Message} ({s.SocketErrorCode})",
        ErrnoException or IngressException => error.Message,
        _ => $"{error.GetType().Name}: {error.Message}",
    };
}
