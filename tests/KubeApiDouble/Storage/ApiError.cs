using System.Text.Json.Nodes;

namespace WgIsolate.KubeApiDouble.Storage;

public sealed record StatusCause(string Field, string Reason, string Message);

/// <summary>A failure the double answers with a v1 Status object, as the real server does.</summary>
public sealed class ApiError(int code, string reason, string message, IReadOnlyList<StatusCause>? causes = null,
    ResourceKind? kind = null, string? name = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
            ["code"] = Code,
        };
        if (kind is not null || causes is not null)
        {
            var details = new JsonObject();
            if (name is not null)
            {
                details["name"] = name;
            }
            if (kind is not null)
            {
                details["group"] = kind.Group;
                details["kind"] = kind.Plural;
            }
            if (causes is not null)
            {
                details["causes"] = new JsonArray(causes.Select(c => (JsonNode)new JsonObject
                {
                    ["reason"] = c.Reason,
                    ["message"] = c.Message,
                    ["field"] = c.Field,
                }).ToArray());
            }
            status["details"] = details;
        }
        return status;
    }

    public static ApiError NotFound(ResourceKind kind, string name) =>
        new(404, "NotFound", $"{kind.QualifiedResource} \"{name}\" not found", kind: kind, name: name);

    public static ApiError AlreadyExists(ResourceKind kind, string name) =>
        new(409, "AlreadyExists", $"{kind.QualifiedResource} \"{name}\" already exists", kind: kind, name: name);

    public static ApiError Conflict(ResourceKind kind, string name, string why) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {kind.QualifiedResource} \"{name}\": {why}", kind: kind, name: name);

    public static ApiError Gone(string message) => new(410, "Expired", message);

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError Invalid(ResourceKind kind, string name, IReadOnlyList<StatusCause> causes) =>
        new(422, "Invalid",
            $"{kind.Kind}{(kind.Group.Length == 0 ? "" : "." + kind.Group)} \"{name}\" is invalid: "
            + string.Join(", ", causes.Select(c => $"{c.Field}: {c.Message}")),
            causes, kind, name);
}
