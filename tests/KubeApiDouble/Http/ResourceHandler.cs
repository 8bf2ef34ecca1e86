using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using WgIsolate.KubeApiDouble.Faults;
using WgIsolate.KubeApiDouble.Patch;
using WgIsolate.KubeApiDouble.Storage;

namespace WgIsolate.KubeApiDouble.Http;

/// <summary>Serves one HTTP request: discovery, or a verb on a resource, answering errors with v1 Status bodies.</summary>
public sealed class ResourceHandler(ObjectStore store, KindRegistry kinds, FaultInjector faults, RequestLog log,
    WatchStreamer watches)
{
    private static readonly HashSet<string> WriteVerbs = ["create", "update", "patch", "delete"];

    public async Task HandleAsync(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? "").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (context.Request.Method == "GET" && Discovery.Answer(segments, kinds) is { } document)
        {
            await WriteJsonAsync(context, 200, document);
            return;
        }
        var target = RequestTarget.Parse(segments, kinds);
        if (target is null)
        {
            await WriteJsonAsync(context, 404, new ApiError(404, "NotFound", "the server could not find the requested resource").ToStatus());
            return;
        }
        var verb = Verb(context.Request, target);
        var token = BearerToken(context.Request);
        var received = new CountingReadStream(context.Request.Body);
        context.Request.Body = received;
        var code = 200;
        var arrived = System.Diagnostics.Stopwatch.GetTimestamp();
        WriteFreeze? holder = null;
        try
        {
            if (WriteVerbs.Contains(verb) && faults.TakeWriteFault(verb, target.Resource) is { } injected)
            {
                throw new ApiError(injected, injected == 500 ? "InternalError" : "ServiceUnavailable",
                    $"injected fault: {verb} {target.Resource} fails with {injected}");
            }
            if (WriteVerbs.Contains(verb) && faults.WritesMayBeHeld)
            {
                // The server has the whole request before it stalls, so a held write stored after its client died is
                // the one the client sent.
                await ReceiveBodyAsync(context.Request);
            }
            if (WriteVerbs.Contains(verb) && (holder = faults.HoldWrite(verb, target.Resource, token)) is not null && !await holder.Commit)
            {
                throw new ApiError(503, "ServiceUnavailable", $"injected fault: {verb} {target.Resource} was held and then lost");
            }
            if (verb == "watch")
            {
                log.Add(new ApiRequest(verb, target.Resource, target.Namespace, target.Name, 200, token, System.Diagnostics.Stopwatch.GetElapsedTime(arrived)));
                await watches.StreamAsync(context, target);
                return;
            }
            var (status, body) = await ServeAsync(context.Request, target, verb);
            code = status;
            await WriteJsonAsync(context, status, body);
        }
        catch (ApiError error)
        {
            code = error.Code;
            await WriteJsonAsync(context, error.Code, error.ToStatus());
        }
        catch (Exception bug) when (bug is not OperationCanceledException && !context.Response.HasStarted)
        {
            // A defect of the double, not an API answer: say so in the Status so the failing test shows why.
            code = 500;
            await WriteJsonAsync(context, 500, new ApiError(500, "InternalError", $"API server double failed: {bug}").ToStatus());
        }
        finally
        {
            if (verb != "watch")
            {
                log.Add(new ApiRequest(verb, target.Resource, target.Namespace, target.Name, code, token, System.Diagnostics.Stopwatch.GetElapsedTime(arrived))
                {
                    ContentType = context.Request.ContentType,
                    RequestBytes = received.BytesRead,
                });
            }
            holder?.Answered();
        }
    }

    // Objects are answered with the JSON the store serialised once for every reader.
    private async Task<(int Status, string Body)> ServeAsync(HttpRequest request, RequestTarget target, string verb)
    {
        var (kind, ns, name) = (target.Kind, target.Namespace, target.Name);
        switch (verb)
        {
            case "get":
                return (200, store.Get(kind, ns, name!).Json);
            case "list":
                var exact = request.Query["resourceVersionMatch"] == "Exact" ? ResourceVersion(request) : null;
                var (items, rv) = store.List(kind, ns, Labels(request), Fields(request, kind), exact);
                return (200, new JsonObject
                {
                    ["kind"] = kind.ListKind,
                    ["apiVersion"] = kind.ApiVersion,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
                    ["items"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()),
                }.ToJsonString());
            case "create":
                return (201, store.Create(kind, ns, await ReadObjectAsync(request)).Json);
            case "update":
                return (200, store.Update(kind, ns, name!, await ReadObjectAsync(request), target.Status).Json);
            case "patch":
                var apply = PatchFunction(request.ContentType, kind, await ReadAsync(request));
                return (200, store.Patch(kind, ns, name!, apply, target.Status).Json);
            case "delete":
                return (200, store.Delete(kind, ns, name!, await ReadAsync(request) as JsonObject).Json);
            default:
                throw new ApiError(405, "MethodNotAllowed", $"{verb} is not supported by the API server double on {target.Resource}");
        }
    }

    private static async Task ReceiveBodyAsync(HttpRequest request)
    {
        var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        body.Position = 0;
        request.Body = body;
    }

    private static string? BearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;

    private static string Verb(HttpRequest request, RequestTarget target) => (request.Method, target.Name) switch
    {
        ("GET", null) => request.Query["watch"] is var w && (w == "true" || w == "1") ? "watch" : "list",
        ("GET", _) => "get",
        ("POST", null) => "create",
        ("PUT", not null) => "update",
        ("PATCH", not null) => "patch",
        ("DELETE", not null) => "delete",
        ("DELETE", null) => "deletecollection",
        _ => request.Method.ToLowerInvariant(),
    };

    private static Func<JsonObject, JsonObject> PatchFunction(string? contentType, ResourceKind kind, JsonNode? patch)
    {
        var mediaType = contentType?.Split(';')[0].Trim();
        return mediaType switch
        {
            "application/merge-patch+json" => current => AsObject(MergePatch.ApplyInPlace(current, patch)),
            // Strategic merge patch is served for built-in kinds as a JSON merge patch: identical for maps and
            // scalars, but lists are replaced whole instead of merged by their patchMergeKey (containers by name).
            // Custom resources refuse it with 415, exactly like the real server.
            "application/strategic-merge-patch+json" when kind.Schema is null => current => AsObject(MergePatch.ApplyInPlace(current, patch)),
            "application/json-patch+json" => current => AsObject(JsonPatch.ApplyInPlace(current, patch)),
            _ => throw new ApiError(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json{(kind.Schema is null ? ", application/strategic-merge-patch+json" : "")} (server-side apply is not implemented by the API server double)"),
        };
    }

    private static JsonObject AsObject(JsonNode? node) =>
        node as JsonObject ?? throw ApiError.BadRequest("the patched document is not a JSON object");

    private static LabelSelector Labels(HttpRequest request) => LabelSelector.Parse(request.Query["labelSelector"]);

    private static FieldSelector Fields(HttpRequest request, ResourceKind kind) => FieldSelector.Parse(request.Query["fieldSelector"], kind);

    internal static long? ResourceVersion(HttpRequest request)
    {
        var text = (string?)request.Query["resourceVersion"];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
            ? rv
            : throw ApiError.BadRequest($"invalid resource version \"{text}\"");
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpRequest request) =>
        await ReadAsync(request) as JsonObject ?? throw ApiError.BadRequest("the request body must be a JSON object");

    private static async Task<JsonNode?> ReadAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw ApiError.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }

    internal static Task WriteJsonAsync(HttpContext context, int status, JsonObject body) => WriteJsonAsync(context, status, body.ToJsonString());

    private static async Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }
}
