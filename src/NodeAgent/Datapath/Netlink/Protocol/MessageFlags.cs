namespace WgIsolate.Datapath.Netlink.Protocol;

/// <summary>nlmsg_flags. The high byte means different things for GET, NEW and ACK messages, hence the aliases.</summary>
[Flags]
public enum MessageFlags : ushort
{
    None = 0,
    Request = 0x1,
    Multi = 0x2,
    Ack = 0x4,
    Echo = 0x8,
    DumpInterrupted = 0x10,

    Root = 0x100,
    Match = 0x200,
    Dump = Root | Match,

    Replace = 0x100,
    Exclusive = 0x200,
    Create = 0x400,
    Append = 0x800,

    Capped = 0x100,
    AckTlvs = 0x200,

    /// <summary>0x0605: fail with EEXIST if it exists.</summary>
    CreateExclusive = Request | Ack | Create | Exclusive,

    /// <summary>0x0505: idempotent create.</summary>
    CreateOrReplace = Request | Ack | Create | Replace,

    /// <summary>0x0005: modify or delete an existing object.</summary>
    Modify = Request | Ack,

    /// <summary>0x0301.</summary>
    DumpRequest = Request | Dump,
}
