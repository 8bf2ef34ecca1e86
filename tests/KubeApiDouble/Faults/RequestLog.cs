using System.Collections.Concurrent;

namespace WgIsolate.KubeApiDouble.Faults;

/// <param name="Verb">Kubernetes verb: get, list, watch, create, update, patch, delete.</param>
/// <param name="Resource">Plural, with "/status" for the status subresource: "pods", "isolatedapps/status".</param>
/// <param name="Token">The bearer token the client presented (unchecked), so a test can tell its clients apart.</param>
/// <param name="Duration">From the request's arrival to its answer written (a watch: until it was opened).</param>
public sealed record ApiRequest(string Verb, string Resource, string? Namespace, string? Name, int StatusCode, string? Token = null,
    TimeSpan Duration = default)
{
    /// <summary>When the double logged it, having answered (UTC); stamped by the log.</summary>
    public DateTime Answered { get; init; }

    public DateTime Arrived => Answered - Duration;

    /// <summary>The request body's media type, e.g. application/json-patch+json for a JSON patch.</summary>
    public string? ContentType { get; init; }

    /// <summary>The request body's length as read (0 without a body, or when the request was refused before it was read).</summary>
    public long RequestBytes { get; init; }
}

/// <summary>Every resource request the double served, so a test or benchmark can count API calls per change.</summary>
public sealed class RequestLog
{
    private static readonly HashSet<string> WriteVerbs = ["create", "update", "patch", "delete"];

    private readonly ConcurrentQueue<ApiRequest> _entries = new();

    public IReadOnlyList<ApiRequest> Entries => [.. _entries];

    public int Count(string verb, string resource) => _entries.Count(e => e.Verb == verb && e.Resource == resource);

    /// <summary>Successful and failed writes alike: every one is a request the apiserver had to serve.</summary>
    public int Writes => _entries.Count(e => WriteVerbs.Contains(e.Verb));

    public IReadOnlyDictionary<string, int> CountsByVerbAndResource() =>
        _entries.GroupBy(e => $"{e.Verb} {e.Resource}").ToDictionary(g => g.Key, g => g.Count());

    public void Clear() => _entries.Clear();

    internal void Add(ApiRequest request) => _entries.Enqueue(request with { Answered = DateTime.UtcNow });
}
