using k8s.Models;
using WgIsolate.Operator.Controllers;

namespace WgIsolate.Operator.Tests.Controllers;

public sealed class LabelSelectorsTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "receiver", ["tier"] = "backend" };

    private static V1LabelSelectorRequirement Req(string key, string op, params string[] values) => new() { Key = key, OperatorProperty = op, Values = values.Length == 0 ? null : values };

    [Fact]
    public void Matches_AbsentSelector_SelectsNothing() => Assert.False(LabelSelectors.Matches(null, Labels));

    [Fact]
    public void Matches_EmptySelector_SelectsEverything() => Assert.True(LabelSelectors.Matches(new V1LabelSelector(), Labels));

    [Theory]
    [InlineData("receiver", true)]
    [InlineData("sender", false)]
    public void Matches_MatchLabels_RequiresEveryPairEqual(string app, bool expected) =>
        Assert.Equal(expected, LabelSelectors.Matches(new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app, ["tier"] = "backend" } }, Labels));

    [Fact]
    public void Matches_Expressions_FollowKubernetesOperators()
    {
        Assert.True(LabelSelectors.Matches(new V1LabelSelector { MatchExpressions = [Req("app", "In", "receiver", "x")] }, Labels));
        Assert.False(LabelSelectors.Matches(new V1LabelSelector { MatchExpressions = [Req("app", "NotIn", "receiver")] }, Labels));
        Assert.True(LabelSelectors.Matches(new V1LabelSelector { MatchExpressions = [Req("zone", "NotIn", "a")] }, Labels));
        Assert.True(LabelSelectors.Matches(new V1LabelSelector { MatchExpressions = [Req("tier", "Exists")] }, Labels));
        Assert.False(LabelSelectors.Matches(new V1LabelSelector { MatchExpressions = [Req("tier", "DoesNotExist")] }, Labels));
        Assert.False(LabelSelectors.Matches(new V1LabelSelector { MatchExpressions = [Req("app", "In", "x")] }, Labels));
    }

    [Fact]
    public void Matches_UnknownOperator_ThrowsNamingTheKey()
    {
        var e = Assert.Throws<ArgumentException>(() => LabelSelectors.Matches(new V1LabelSelector { MatchExpressions = [Req("app", "Like", "r*")] }, Labels));
        Assert.Contains("'app'", e.Message);
    }
}
