using System.ComponentModel.DataAnnotations;
using Ragtune.Http.Auth;

namespace Ragtune.Http.Tests.Auth;

public sealed class AuthOptionsTests
{
    [Fact]
    public void Defaults_AreValid_AndValidateNoTokens()
    {
        var options = new AuthOptions();

        Assert.Empty(Problems(options));
        Assert.False(options.ValidatesTokens);
        Assert.True(options.RequireHttpsMetadata);
        Assert.Equal("groups", options.GroupsClaim);
    }

    [Fact]
    public void EntraAuthority_WithAudience_IsValid() =>
        Assert.Empty(Problems(new AuthOptions { Authority = new Uri("https://login.microsoftonline.com/tenant/v2.0"), Audience = "api://ragtune" }));

    [Theory]
    [InlineData("https://login.microsoftonline.com/tenant/v2.0", null, true, "Audience")]
    [InlineData(null, "api://ragtune", true, "Authority")]
    [InlineData("http://login.example.com/tenant/v2.0", "api://ragtune", true, "RequireHttpsMetadata=false only for a loopback")]
    [InlineData("http://login.example.com/tenant/v2.0", "api://ragtune", false, "only for a loopback authority")]
    [InlineData("https://login.example.com/tenant/v2.0", "api://ragtune", false, "only for a loopback authority")]
    public void Invalid_IsNamedBySetting(string? authority, string? audience, bool requireHttps, string expected)
    {
        var options = new AuthOptions { Authority = authority is null ? null : new Uri(authority), Audience = audience, RequireHttpsMetadata = requireHttps };

        Assert.Contains(Problems(options), problem => problem.Contains(expected, StringComparison.Ordinal) && problem.Contains("Ragtune:Auth:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/tenant/v2.0")]
    [InlineData("http://localhost:5000/tenant/v2.0")]
    [InlineData("http://[::1]:5000/tenant/v2.0")]
    public void LoopbackAuthority_MayBeFetchedOverHttp(string authority) =>
        Assert.Empty(Problems(new AuthOptions { Authority = new Uri(authority), Audience = "api://ragtune", RequireHttpsMetadata = false }));

    [Fact]
    public void RequireAuthenticatedCaller_WithoutAnIssuer_IsAnError() =>
        Assert.Contains(Problems(new AuthOptions { RequireAuthenticatedCaller = true }), problem => problem.Contains("RequireAuthenticatedCaller", StringComparison.Ordinal));

    private static List<string> Problems(AuthOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? "")];
    }
}
