namespace WgIsolate.KubeApiDouble.Faults;

/// <summary>Failures a test switches on to see the operator survive them. All knobs are thread-safe and count down.</summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<WriteFault> _writeFaults = [];
    private readonly List<WriteFreeze> _freezes = [];
    private int _expiredResumes;
    private int? _dropWatchesAfterEvents;

    /// <summary>When set, every watch (open or future) is closed by the server after it has sent this many events
    /// (bookmarks not counted), as a load balancer or apiserver timeout would.</summary>
    public int? DropWatchesAfterEvents
    {
        get { lock (_gate) { return _dropWatchesAfterEvents; } }
        set { lock (_gate) { _dropWatchesAfterEvents = value; } }
    }

    /// <summary>The next <paramref name="count"/> writes matching <paramref name="verb"/> ("create", "update", "patch",
    /// "delete" or "*") on <paramref name="resource"/> ("pods", "isolatedapps/status", or "*") fail with
    /// <paramref name="statusCode"/> and a Status body, without touching the store.</summary>
    public void FailWrites(string verb, string resource, int count, int statusCode = 500)
    {
        lock (_gate)
        {
            _writeFaults.Add(new WriteFault(verb, resource, count, statusCode));
        }
    }

    /// <summary>The next <paramref name="count"/> watches that resume from a resourceVersion get an ERROR event with
    /// 410 Gone, as after a compaction, so the client must relist.</summary>
    public void ExpireWatchResumes(int count)
    {
        lock (_gate)
        {
            _expiredResumes += count;
        }
    }

    /// <summary>Holds the <paramref name="nth"/> next write matching <paramref name="verb"/> and <paramref name="resource"/>
    /// (as for <see cref="FailWrites"/>) and every later write of the same client unanswered until the returned freeze is
    /// thawed. <paramref name="token"/>: only the writes of the client presenting this bearer token count and are held
    /// (null: every client's).</summary>
    public WriteFreeze FreezeWrites(string verb, string resource, int nth, string? token = null)
    {
        var freeze = new WriteFreeze(verb, resource, nth, token);
        lock (_gate)
        {
            _freezes.Add(freeze);
        }
        return freeze;
    }

    /// <summary>Switches every fault off; writes still held by a freeze are lost (answered 503).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var freeze in _freezes)
            {
                freeze.Thaw(commit: false);
            }
            _freezes.Clear();
            _writeFaults.Clear();
            _expiredResumes = 0;
            _dropWatchesAfterEvents = null;
        }
    }

    internal int? TakeWriteFault(string verb, string resource)
    {
        lock (_gate)
        {
            var fault = _writeFaults.FirstOrDefault(f => f.Remaining > 0 && f.Matches(verb, resource));
            if (fault is null)
            {
                return null;
            }
            fault.Remaining--;
            return fault.StatusCode;
        }
    }

    /// <summary>Whether any freeze is set up (thawed ones included, until <see cref="Clear"/>).</summary>
    internal bool WritesMayBeHeld
    {
        get { lock (_gate) { return _freezes.Count > 0; } }
    }

    /// <summary>Null: the write goes on now. Otherwise the freeze holding it.</summary>
    internal WriteFreeze? HoldWrite(string verb, string resource, string? token)
    {
        lock (_gate)
        {
            return _freezes.FirstOrDefault(f => f.TryHold(verb, resource, token));
        }
    }

    internal bool TakeExpiredResume()
    {
        lock (_gate)
        {
            if (_expiredResumes == 0)
            {
                return false;
            }
            _expiredResumes--;
            return true;
        }
    }

    private sealed class WriteFault(string verb, string resource, int count, int statusCode)
    {
        public int Remaining { get; set; } = count;

        public int StatusCode { get; } = statusCode;

        public bool Matches(string actualVerb, string actualResource) =>
            (verb == "*" || verb == actualVerb) && (resource == "*" || resource == actualResource);
    }
}
