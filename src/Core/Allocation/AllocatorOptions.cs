namespace WgIsolate.Core.Allocation;

public sealed record AllocatorOptions
{
    public int FirstPort { get; init; } = 51820;
    public int LastPort { get; init; } = 52819;

    /// <summary>Subnet 0 of the /48 is never handed out: the all-zero subnet is easily confused with the
    /// cluster prefix itself in routes and logs, and leaving it free costs one /64 of 65,536.</summary>
    public int FirstAppIndex { get; init; } = 1;

    public int LastAppIndex { get; init; } = Addressing.UlaSubnets.MaxSubnetIndex;
}
