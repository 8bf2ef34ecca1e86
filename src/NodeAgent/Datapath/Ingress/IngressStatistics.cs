namespace WgIsolate.Datapath.Ingress;

/// <param name="Forwarded">TCP connections accepted or UDP flows opened since start.</param>
/// <param name="Active">TCP connections or UDP flows open now.</param>
/// <param name="Failed">Connections or datagrams that could not reach the app (nothing listening, namespace gone, flow limit).</param>
/// <param name="LastFailure">The most recent of those, for status output.</param>
public sealed record IngressStatistics(long Forwarded, long Active, long Failed, string? LastFailure);

/// <summary>Thread-safe counters behind <see cref="IngressStatistics"/>.</summary>
internal sealed class IngressCounters
{
    private long forwarded;
    private long active;
    private long failed;
    private string? lastFailure;

    public void Opened()
    {
        Interlocked.Increment(ref forwarded);
        Interlocked.Increment(ref active);
    }

    public void Closed() => Interlocked.Decrement(ref active);

    public void Failure(string message)
    {
        Interlocked.Increment(ref failed);
        Volatile.Write(ref lastFailure, message);
    }

    public IngressStatistics Snapshot() =>
        new(Interlocked.Read(ref forwarded), Interlocked.Read(ref active), Interlocked.Read(ref failed), Volatile.Read(ref lastFailure));
}
