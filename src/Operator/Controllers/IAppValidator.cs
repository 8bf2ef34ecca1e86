using WgIsolate.Core.Api;
using WgIsolate.Core.Validation;

namespace WgIsolate.Operator.Controllers;

/// <summary>The shared semantic validation, as the controller consumes it: every problem with its field path.</summary>
public interface IAppValidator
{
    IReadOnlyList<FieldError> Validate(V1Alpha1IsolatedApp app);
}

/// <summary>Core's validator with the Kubernetes rules (a selector is required).</summary>
public sealed class CoreAppValidator : IAppValidator
{
    public IReadOnlyList<FieldError> Validate(V1Alpha1IsolatedApp app) => IsolatedAppValidator.Validate(app, ValidationOptions.Kubernetes);
}
