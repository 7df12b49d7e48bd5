using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Ragtune.Http.Auth;
using Ragtune.Testing.Identity;

namespace Ragtune.Http.Tests.Auth;

public sealed class BearerTokenValidatorTests : IAsyncLifetime
{
    private LoopbackOpenIdIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await LoopbackOpenIdIssuer.StartAsync();

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    [Fact]
    public async Task Validate_TokenOfTheIssuer_GivesItsGroups()
    {
        var check = await Validator().ValidateAsync(_issuer.Issue(new TokenSpec { Groups = ["hr", "board"] }));

        Assert.Equal(TokenVerdict.Valid, check.Verdict);
        Assert.Equal(["hr", "board"], check.Groups);
    }

    [Fact]
    public async Task Validate_TokenWithoutGroupsClaim_IsValidWithNoGroups()
    {
        var check = await Validator().ValidateAsync(_issuer.Issue(new TokenSpec { Groups = null }));

        Assert.Equal(TokenVerdict.Valid, check.Verdict);
        Assert.Empty(check.Groups);
    }

    [Fact]
    public async Task Validate_GroupsClaimConfiguredAsRoles_ReadsRolesOnly()
    {
        var token = _issuer.Issue(new TokenSpec { Groups = ["Readers.Hr"], GroupsClaim = "roles", ExtraClaims = new Dictionary<string, object> { ["groups"] = new[] { "board" } } });

        var check = await Validator(options => options.GroupsClaim = "roles").ValidateAsync(token);

        Assert.Equal(TokenVerdict.Valid, check.Verdict);
        Assert.Equal(["Readers.Hr"], check.Groups);
    }

    public static TheoryData<string, string> InvalidTokens => new()
    {
        { "expired", "expired" },
        { "wrong audience", "audience" },
        { "wrong issuer", "issuer" },
        { "foreign key", "signature" },
        { "unsigned", "" },
        { "symmetric confusion", "" },
        { "garbage", "malformed" },
    };

    [Theory]
    [MemberData(nameof(InvalidTokens))]
    public async Task Validate_TokenTheIssuerDidNotGrant_IsInvalid(string kind, string reasonWord)
    {
        var groups = new TokenSpec { Groups = ["board"] };
        var token = kind switch
        {
            "expired" => _issuer.Issue(groups with { Lifetime = TimeSpan.FromMinutes(-10) }),
            "wrong audience" => _issuer.Issue(groups with { Audience = "api://someone-else" }),
            "wrong issuer" => _issuer.Issue(groups with { Issuer = "https://login.example.com/other/v2.0" }),
            "foreign key" => _issuer.IssueWithForeignKey(groups),
            "unsigned" => _issuer.IssueUnsigned(groups),
            "symmetric confusion" => _issuer.IssueWithSymmetricConfusion(groups),
            _ => "not.a.token",
        };

        var check = await Validator().ValidateAsync(token);

        Assert.Equal(TokenVerdict.Invalid, check.Verdict);
        Assert.Empty(check.Groups);
        Assert.Contains(reasonWord, check.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_FirstTokenAfterKeyRotation_IsAcceptedAfterOneKeyFetch()
    {
        var validator = Validator();
        Assert.Equal(TokenVerdict.Valid, (await validator.ValidateAsync(_issuer.Issue())).Verdict);
        var fetchesBefore = _issuer.KeyRequests;

        _issuer.RotateKey();
        var check = await validator.ValidateAsync(_issuer.Issue(new TokenSpec { Groups = ["hr"] }));

        Assert.Equal(TokenVerdict.Valid, check.Verdict);
        Assert.Equal(["hr"], check.Groups);
        Assert.Equal(fetchesBefore + 1, _issuer.KeyRequests);
    }

    [Fact]
    public async Task Validate_TokenOfARetiredKeyAfterRotation_IsInvalid()
    {
        var validator = Validator();
        var oldToken = _issuer.Issue();
        _issuer.RotateKey();
        Assert.Equal(TokenVerdict.Valid, (await validator.ValidateAsync(_issuer.Issue())).Verdict);

        var check = await validator.ValidateAsync(oldToken);

        Assert.Equal(TokenVerdict.Invalid, check.Verdict);
    }

    [Fact]
    public async Task Validate_ManyTokensWithUnknownKeys_FetchTheKeysAtMostOncePerInterval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var validator = Validator(time: time);
        Assert.Equal(TokenVerdict.Valid, (await validator.ValidateAsync(_issuer.Issue())).Verdict);
        var fetchesBefore = _issuer.KeyRequests;

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(TokenVerdict.Invalid, (await validator.ValidateAsync(_issuer.IssueWithForeignKey())).Verdict);
        }

        Assert.Equal(fetchesBefore + 1, _issuer.KeyRequests);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(TokenVerdict.Invalid, (await validator.ValidateAsync(_issuer.IssueWithForeignKey())).Verdict);
        Assert.Equal(fetchesBefore + 2, _issuer.KeyRequests);
    }

    [Fact]
    public async Task Validate_AfterTheMetadataLifetime_ReadsTheKeysAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var validator = Validator(time: time);
        await validator.ValidateAsync(_issuer.Issue());
        var fetchesBefore = _issuer.KeyRequests;

        await validator.ValidateAsync(_issuer.Issue());
        time.Advance(TimeSpan.FromHours(12));
        await validator.ValidateAsync(_issuer.Issue());

        Assert.Equal(fetchesBefore + 1, _issuer.KeyRequests);
    }

    [Fact]
    public async Task Validate_IssuerDownAfterKeysWereRead_KeepsValidatingWithTheKeysItHas()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var validator = Validator(time: time);
        await validator.ValidateAsync(_issuer.Issue());
        _issuer.Available = false;
        time.Advance(TimeSpan.FromHours(13));

        var check = await validator.ValidateAsync(_issuer.Issue(new TokenSpec { Groups = ["hr"] }));

        Assert.Equal(TokenVerdict.Valid, check.Verdict);
        Assert.Equal(["hr"], check.Groups);
    }

    [Fact]
    public async Task Validate_GroupOverage_IsUnusableGroupsNotPublicAccess()
    {
        var overage = new Dictionary<string, object>
        {
            ["_claim_names"] = new Dictionary<string, object> { ["groups"] = "src1" },
            ["_claim_sources"] = new Dictionary<string, object> { ["src1"] = new Dictionary<string, object> { ["endpoint"] = "https://graph.microsoft.com/v1.0/users/1/getMemberObjects" } },
        };

        var check = await Validator().ValidateAsync(_issuer.Issue(new TokenSpec { Groups = null, ExtraClaims = overage }));

        Assert.Equal(TokenVerdict.UnusableGroups, check.Verdict);
        Assert.Contains("overage", check.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Validate_MoreGroupsThanTheLimit_IsUnusableGroups()
    {
        var groups = Enumerable.Range(0, BearerTokenValidator.MaxGroups + 1).Select(i => $"group-{i}").ToArray();

        var check = await Validator().ValidateAsync(_issuer.Issue(new TokenSpec { Groups = groups }));

        Assert.Equal(TokenVerdict.UnusableGroups, check.Verdict);
    }

    [Fact]
    public async Task Validate_GroupsAtTheLimit_AreAccepted()
    {
        var groups = Enumerable.Range(0, BearerTokenValidator.MaxGroups).Select(i => $"g{i}").ToArray();

        var check = await Validator().ValidateAsync(_issuer.Issue(new TokenSpec { Groups = groups }));

        Assert.Equal(TokenVerdict.Valid, check.Verdict);
        Assert.Equal(BearerTokenValidator.MaxGroups, check.Groups.Count);
    }

    [Fact]
    public async Task Validate_OversizedValue_IsInvalidWithoutParsing()
    {
        var check = await Validator().ValidateAsync(new string('a', BearerTokenValidator.MaxTokenLength + 1));

        Assert.Equal(TokenVerdict.Invalid, check.Verdict);
        Assert.Equal(0, _issuer.KeyRequests);
    }

    [Fact]
    public async Task Validate_IssuerDown_IsIssuerUnavailableNotInvalid()
    {
        _issuer.Available = false;

        var check = await Validator().ValidateAsync(_issuer.Issue(new TokenSpec { Groups = ["hr"] }));

        Assert.Equal(TokenVerdict.IssuerUnavailable, check.Verdict);
        Assert.Empty(check.Groups);
    }

    private BearerTokenValidator Validator(Action<AuthOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new AuthOptions { Authority = _issuer.Authority, Audience = LoopbackOpenIdIssuer.DefaultAudience, RequireHttpsMetadata = false };
        configure?.Invoke(options);
        var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        return new BearerTokenValidator(Options.Create(options), services.GetRequiredService<IHttpClientFactory>(), time ?? TimeProvider.System, NullLogger<BearerTokenValidator>.Instance);
    }
}
