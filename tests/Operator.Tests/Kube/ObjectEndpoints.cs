using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace WgIsolate.Operator.Tests.Kube;

/// <summary>
/// GET, POST, PUT and PUT …/status for one resource collection, with the API server's resourceVersion check
/// (stale PUT → 409) and a log of requests. Just enough to watch a store's requests with the real client.
/// </summary>
internal sealed class ObjectEndpoints
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JsonObject> _objects = [];
    private int _version = 100;

    public List<string> Log { get; } = [];

    private Action? _beforeNextWrite;

    /// <summary>Runs once, just before the next write is judged: another writer sneaking in.</summary>
    public Action? BeforeNextWrite { set => _beforeNextWrite = value; }

    public JsonObject? this[string name]
    {
        get { lock (_lock) return _objects.GetValueOrDefault(name)?.DeepClone().AsObject(); }
    }

    public void Put(string name, JsonObject obj)
    {
        lock (_lock)
        {
            obj["metadata"]!["resourceVersion"] = $"{++_version}";
            _objects[name] = obj;
        }
    }

    public void Map(IEndpointRouteBuilder server, string collection)
    {
        server.MapGet(collection + "/{name}", (string name) => Answer("GET", () =>
            _objects.TryGetValue(name, out var obj) ? Results.Text(obj.ToJsonString(), "application/json") : Status(404, "NotFound")));
        server.MapPost(collection, async (HttpRequest request) => Write("POST", await Body(request), null, status: false));
        server.MapPut(collection + "/{name}", async (string name, HttpRequest request) => Write("PUT", await Body(request), name, status: false));
        server.MapPut(collection + "/{name}/status", async (string name, HttpRequest request) => Write("PUT status", await Body(request), name, status: true));
    }

    private static async Task<JsonObject> Body(HttpRequest request) => (await JsonNode.ParseAsync(request.Body))!.AsObject();

    private IResult Write(string verb, JsonObject body, string? name, bool status)
    {
        Interlocked.Exchange(ref _beforeNextWrite, null)?.Invoke();
        return Answer(verb, () =>
        {
            var key = name ?? body["metadata"]!["name"]!.GetValue<string>();
            _objects.TryGetValue(key, out var current);
            if (name is null ? current is not null : current is null) return Status(name is null ? 409 : 404, name is null ? "AlreadyExists" : "NotFound");
            if (current is not null && body["metadata"]?["resourceVersion"]?.GetValue<string>() != current["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                return Status(409, "Conflict");
            }

            // The status subresource takes only status; the main resource keeps the stored status.
            var stored = status ? current!.DeepClone().AsObject() : body.DeepClone().AsObject();
            if (status) stored["status"] = body["status"]?.DeepClone();
            else if (current is not null) stored["status"] = current["status"]?.DeepClone();
            stored["metadata"]!["resourceVersion"] = $"{++_version}";
            _objects[key] = stored;
            return Results.Text(stored.ToJsonString(), "application/json");
        });
    }

    private IResult Answer(string verb, Func<IResult> handle)
    {
        lock (_lock)
        {
            var result = handle();
            Log.Add(result is IStatusCodeHttpResult { StatusCode: >= 400 } failed ? $"{verb} {failed.StatusCode}" : verb);
            return result;
        }
    }

    private static IResult Status(int code, string reason) =>
        Results.Json(new { kind = "Status", apiVersion = "v1", status = "Failure", reason, code }, statusCode: code);
}
