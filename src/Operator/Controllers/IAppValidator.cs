using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Controllers;

/// <summary>The shared semantic validation, as the controller consumes it: every problem with its field path.</summary>
public interface IAppValidator
{
    IReadOnlyList<FieldProblem> Validate(V1Alpha1IsolatedApp app);
}

public sealed record FieldProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
