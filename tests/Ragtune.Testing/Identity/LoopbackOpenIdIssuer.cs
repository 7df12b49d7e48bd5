using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ragtune.Testing.Identity;

/// <summary>
/// An OpenID Connect issuer on loopback, as Microsoft Entra ID publishes one: <c>{authority}/.well-known/openid-configuration</c>
/// naming its <c>jwks_uri</c>, and the public RSA keys there. The test makes the keys, signs tokens with them, rotates
/// them, and can forge tokens the issuer did not sign.
/// </summary>
public sealed class LoopbackOpenIdIssuer : IAsyncDisposable
{
    public const string DefaultAudience = "api://ragtune-tests";

    private readonly WebApplication _app;
    private readonly JsonWebTokenHandler _handler = new();
    private volatile RsaSecurityKey _signingKey = NewKey();
    private int _keyRequests;

    private LoopbackOpenIdIssuer(WebApplication app) => _app = app;

    /// <summary>The issuer URL: what <c>Ragtune:Auth:Authority</c> is set to, and the <c>iss</c> of its tokens.</summary>
    public Uri Authority { get; private set; } = null!;

    /// <summary>How many times the keys were fetched.</summary>
    public int KeyRequests => _keyRequests;

    /// <summary>While false, metadata and keys answer 503 (the issuer is down).</summary>
    public bool Available { get; set; } = true;

    /// <summary>The settings that make a Ragtune host accept this issuer's tokens (<c>--Section:Key=value</c>).</summary>
    public string[] Settings(string audience = DefaultAudience) =>
        [$"--Ragtune:Auth:Authority={Authority}", $"--Ragtune:Auth:Audience={audience}", "--Ragtune:Auth:RequireHttpsMetadata=false"];

    public static async Task<LoopbackOpenIdIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var issuer = new LoopbackOpenIdIssuer(app);
        app.MapGet("/tenant/v2.0/.well-known/openid-configuration", (HttpContext context) => issuer.Available
            ? Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = issuer.Authority.AbsoluteUri.TrimEnd('/'),
                ["jwks_uri"] = new Uri(issuer.Authority, "keys").AbsoluteUri,
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            })
            : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/tenant/v2.0/keys", () =>
        {
            Interlocked.Increment(ref issuer._keyRequests);
            if (!issuer.Available)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(issuer.PublicKey);
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        issuer.Authority = new Uri(address.TrimEnd('/') + "/tenant/v2.0/");
        return issuer;
    }

    /// <summary>Replaces the signing key: tokens signed before no longer validate once the keys are fetched again.</summary>
    public void RotateKey() => _signingKey = NewKey();

    /// <summary>A token signed by this issuer.</summary>
    public string Issue(TokenSpec? spec = null) => Sign(spec ?? new TokenSpec(), _signingKey);

    /// <summary>A token like <see cref="Issue"/> but signed with a key the issuer never published.</summary>
    public string IssueWithForeignKey(TokenSpec? spec = null) => Sign(spec ?? new TokenSpec(), NewKey());

    /// <summary>A token with <c>alg: none</c> and no signature, claiming to come from this issuer.</summary>
    public string IssueUnsigned(TokenSpec? spec = null)
    {
        var signed = Issue(spec);
        var parts = signed.Split('.');
        var header = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("{\"alg\":\"none\",\"typ\":\"JWT\"}"));
        return $"{header}.{parts[1]}.";
    }

    /// <summary>A token signed with HMAC, using the issuer's public key bytes as the secret (algorithm confusion).</summary>
    public string IssueWithSymmetricConfusion(TokenSpec? spec = null)
    {
        using var rsa = RSA.Create(_signingKey.Rsa.ExportParameters(false));
        var secret = rsa.ExportSubjectPublicKeyInfo();
        return Sign(spec ?? new TokenSpec(), new SymmetricSecurityKey(secret) { KeyId = _signingKey.KeyId }, SecurityAlgorithms.HmacSha256);
    }

    private RsaSecurityKey PublicKey => new(_signingKey.Rsa.ExportParameters(false)) { KeyId = _signingKey.KeyId };

    private string Sign(TokenSpec spec, SecurityKey key, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["sub"] = spec.Subject, ["tid"] = "tenant" };
        if (spec.Groups is not null)
        {
            claims[spec.GroupsClaim] = spec.Groups;
        }

        foreach (var (name, value) in spec.ExtraClaims ?? new Dictionary<string, object>())
        {
            claims[name] = value;
        }

        var expires = now + spec.Lifetime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = spec.Issuer ?? Authority.AbsoluteUri.TrimEnd('/'),
            Audience = spec.Audience,
            IssuedAt = spec.Lifetime < TimeSpan.Zero ? expires - TimeSpan.FromHours(1) : now,
            NotBefore = spec.Lifetime < TimeSpan.Zero ? expires - TimeSpan.FromHours(1) : now,
            Expires = expires,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }

    private static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What a test token says: its groups (null: no groups claim), audience, lifetime (negative: expired that long ago), issuer.</summary>
public sealed record TokenSpec
{
    public string[]? Groups { get; init; }

    public string GroupsClaim { get; init; } = "groups";

    public string Audience { get; init; } = LoopbackOpenIdIssuer.DefaultAudience;

    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(30);

    public string? Issuer { get; init; }

    public string Subject { get; init; } = "user-1";

    public IReadOnlyDictionary<string, object>? ExtraClaims { get; init; }
}
