using System.Text.Json.Nodes;

namespace Ragtune.Infra.Tests;

/// <summary>The roles that stand in for keys: the app's identity and the person running azd, each on its resource.</summary>
public sealed class RoleAssignmentTests
{
    private const string AppRoles = "app-roles";
    private const string UserRoles = "user-roles";

    [Theory]
    [InlineData("storageRoleIds", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b")] // Storage Blob Data Owner
    [InlineData("storageRoleIds", "974c5e8b-45b9-4653-ba55-5f855dd0fb88")] // Storage Queue Data Contributor
    [InlineData("storageRoleIds", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3")] // Storage Table Data Contributor
    [InlineData("searchRoleIds", "8ebe5a00-799e-43f5-93ac-243d3dce84a7")] // Search Index Data Contributor
    [InlineData("searchRoleIds", "7ca78c08-252a-4471-8644-bb5ff32d4ba0")] // Search Service Contributor
    [InlineData("openAiRoleIds", "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd")] // Cognitive Services OpenAI User
    [InlineData("applicationInsightsRoleIds", "3913510d-42f4-4e42-8a64-420c390055eb")] // Monitoring Metrics Publisher
    public void AppIdentity_HasTheRole(string scope, string roleDefinitionId)
    {
        Assert.Contains(roleDefinitionId, RoleIds(AppRoles, scope));
    }

    [Fact]
    public void AppRoles_GoToTheAppIdentityAsAServicePrincipal()
    {
        Assert.Contains("'identity'", (string?)MainTemplate.ModuleParameter(AppRoles, "principalId"), StringComparison.Ordinal);
        Assert.EndsWith(".outputs.principalId.value]", (string?)MainTemplate.ModuleParameter(AppRoles, "principalId"), StringComparison.Ordinal);
        Assert.Equal("ServicePrincipal", (string?)MainTemplate.ModuleParameter(AppRoles, "principalType"));
        Assert.Null(MainTemplate.Module(AppRoles)["condition"]);
    }

    [Theory]
    [InlineData("documentsContainerRoleIds", "ba92f5b4-2d11-453d-a403-e96b0029c9fe")] // Storage Blob Data Contributor: upload documents
    [InlineData("datasetsContainerRoleIds", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")] // Storage Blob Data Reader: read datasets
    [InlineData("searchRoleIds", "1407120a-92aa-4202-b7e9-c0e197c71c8f")] // Search Index Data Reader: query the index
    public void DeployingUser_HasTheDataPlaneRole(string scope, string roleDefinitionId)
    {
        Assert.Equal([roleDefinitionId], RoleIds(UserRoles, scope));
    }

    [Fact]
    public void UserRoles_GoToThePrincipalParameter_WhenOneIsGiven()
    {
        Assert.Equal("[parameters('principalId')]", (string?)MainTemplate.ModuleParameter(UserRoles, "principalId"));
        Assert.Equal("[not(empty(parameters('principalId')))]", (string?)MainTemplate.Module(UserRoles)["condition"]);
        Assert.Empty(RoleIds(UserRoles, "storageRoleIds"));
        Assert.Empty(RoleIds(UserRoles, "openAiRoleIds"));
    }

    [Theory]
    [InlineData("User")]
    [InlineData("ServicePrincipal")]
    public void UserRoles_TakeThePrincipalTypeAzdGives(string principalType)
    {
        var given = ArmExpression.Evaluate(MainTemplate.Json, MainTemplate.ModuleParameter(UserRoles, "principalType"),
            new Dictionary<string, JsonNode?> { ["principalType"] = principalType });

        Assert.Equal(principalType, (string?)given);
        Assert.Contains(principalType, MainTemplate.Json["parameters"]?["principalType"]?["allowedValues"]?.AsArray().Select(value => (string?)value) ?? []);
    }

    [Fact]
    public void UserRoles_AreForAPerson_WhenAzdGivesNoPrincipalType()
    {
        Assert.Equal("User", (string?)ArmExpression.Evaluate(MainTemplate.Json, MainTemplate.ModuleParameter(UserRoles, "principalType"), new Dictionary<string, JsonNode?>()));
    }

    [Fact]
    public void EveryRoleAssignment_IsNamedByGuidOfItsScopePrincipalAndRole()
    {
        var assignments = MainTemplate.Resources(MainTemplate.ModuleTemplate(AppRoles))
            .Where(resource => MainTemplate.Type(resource) == "Microsoft.Authorization/roleAssignments")
            .ToList();

        Assert.Equal(6, assignments.Count);
        Assert.All(assignments, assignment =>
        {
            var name = (string?)assignment["name"];
            var scope = (string?)assignment["scope"];
            var roleIds = (string?)assignment["copy"]?["count"];
            Assert.NotNull(scope);
            Assert.NotNull(roleIds);
            var parameter = roleIds["[length(".Length..^")]".Length];
            Assert.StartsWith($"[guid({scope[1..^1]}, parameters('principalKey'), {parameter}[copyIndex()])", name, StringComparison.Ordinal);
            Assert.Equal($"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', {parameter}[copyIndex()])]",
                (string?)assignment["properties"]?["roleDefinitionId"]);
        });
    }

    private static List<string> RoleIds(string module, string parameter)
    {
        var node = MainTemplate.Module(module)["properties"]?["parameters"]?[parameter]?["value"];
        return node is JsonArray ids ? ids.Select(id => MainTemplate.RoleDefinitionId((string)id!)).ToList() : [];
    }
}
