using System.Runtime.CompilerServices;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Tests.Runtime;

/// <summary>A scripted API server for one resource: lists return what the test set, each watch is driven by the test.</summary>
internal sealed class FakeResourceSource<T> : IResourceSource<T> where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly Channel<FakeWatch> _opened = Channel.CreateUnbounded<FakeWatch>();
    private readonly Queue<Exception> _listFailures = new();

    public string Resource => "fakes";
    public ResourceListing<T> Listing { get; set; } = new([], "1");
    public int Lists { get; private set; }
    public List<(string ResourceVersion, TimeSpan Timeout)> Watches { get; } = [];

    public void FailNextList(Exception e) => _listFailures.Enqueue(e);

    public Task<ResourceListing<T>> ListAsync(CancellationToken cancellationToken)
    {
        Lists++;
        return _listFailures.TryDequeue(out var e) ? Task.FromException<ResourceListing<T>>(e) : Task.FromResult(Listing);
    }

    public async IAsyncEnumerable<ResourceWatchEvent<T>> WatchAsync(string resourceVersion, TimeSpan timeout,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watch = new FakeWatch();
        lock (Watches) Watches.Add((resourceVersion, timeout));
        await _opened.Writer.WriteAsync(watch, cancellationToken);
        await foreach (var item in watch.Items.Reader.ReadAllAsync(cancellationToken))
        {
            if (item is Exception e) throw e;
            yield return (ResourceWatchEvent<T>)item;
        }
    }

    /// <summary>The next watch the informer opens.</summary>
    public async Task<FakeWatch> NextWatchAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _opened.Reader.ReadAsync(timeout.Token);
    }

    internal sealed class FakeWatch
    {
        public Channel<object> Items { get; } = Channel.CreateUnbounded<object>();

        public void Send(WatchEventType type, T obj) => Items.Writer.TryWrite(new ResourceWatchEvent<T>(type, obj));

        public void Fail(Exception e) => Items.Writer.TryWrite(e);

        /// <summary>The server closes the stream, as at the end of timeoutSeconds.</summary>
        public void End() => Items.Writer.TryComplete();
    }
}
