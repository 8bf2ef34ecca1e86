namespace WgIsolate.Datapath.Ingress;

public sealed record IngressOptions
{
    /// <summary>A UDP flow (one client address and port) with no datagram either way for this long is forgotten.</summary>
    public TimeSpan UdpIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Flows per UDP forwarder: datagrams from further clients are dropped, so spoofed sources cannot exhaust descriptors.</summary>
    public int MaxUdpFlows { get; init; } = 4096;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Connections or flows that could not be forwarded, one line each; the forwarder itself keeps running.</summary>
    public Action<string>? Log { get; init; }
}
