namespace WgIsolate.KubeApiDouble.Faults;

/// <summary>
/// A server that stops answering writes mid-flight: from the triggering write on, every write of the frozen client
/// waits, received but unanswered, until <see cref="Thaw"/> says whether the held writes land or are lost. A test
/// kills its client meanwhile, so the client dies with exactly those writes in flight, as on SIGKILL.
/// </summary>
public sealed class WriteFreeze
{
    private readonly Lock _gate = new();
    private readonly string _verb;
    private readonly string _resource;
    private readonly string? _token;
    private readonly TaskCompletionSource _frozen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _thawed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _untilTrigger;
    private int _held;
    private int _answered;

    internal WriteFreeze(string verb, string resource, int nth, string? token)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nth, 1);
        (_verb, _resource, _untilTrigger, _token) = (verb, resource, nth, token);
    }

    /// <summary>Completes when the triggering write arrived and is being held.</summary>
    public Task Frozen => _frozen.Task;

    /// <summary>Writes held so far, the triggering one included.</summary>
    public int Held
    {
        get { lock (_gate) { return _held; } }
    }

    /// <summary>Completes once thawed and every held write was answered (stored or lost), so a test can go on
    /// knowing no late write of the dead client is still on its way.</summary>
    public Task Settled => _settled.Task;

    /// <summary>Lets the held writes go: <paramref name="commit"/> true stores them as if the server finished them
    /// after the client was gone; false answers them 503 without storing anything. Later writes pass untouched.</summary>
    public void Thaw(bool commit)
    {
        _thawed.TrySetResult(commit);
        lock (_gate)
        {
            SettleIfDone();
        }
    }

    /// <summary>Whether a held write is to be stored, once thawed.</summary>
    internal Task<bool> Commit => _thawed.Task;

    /// <summary>True: the write is held; it waits for <see cref="Commit"/> and reports <see cref="Answered"/>.</summary>
    internal bool TryHold(string verb, string resource, string? token)
    {
        lock (_gate)
        {
            if (_thawed.Task.IsCompleted || (_token is not null && _token != token))
            {
                return false;
            }
            if (!_frozen.Task.IsCompleted)
            {
                var matches = (_verb == "*" || _verb == verb) && (_resource == "*" || _resource == resource);
                if (!matches || --_untilTrigger > 0)
                {
                    return false;
                }
                _frozen.TrySetResult();
            }
            _held++;
            return true;
        }
    }

    internal void Answered()
    {
        lock (_gate)
        {
            _answered++;
            SettleIfDone();
        }
    }

    // Caller holds the gate. No write is held once thawed, so the count is final then.
    private void SettleIfDone()
    {
        if (_thawed.Task.IsCompleted && _answered == _held)
        {
            _settled.TrySetResult();
        }
    }
}
