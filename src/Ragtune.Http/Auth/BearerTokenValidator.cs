using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Ragtune.Http.Auth;

/// <summary>
/// Validates bearer tokens (JWT) of the OpenID Connect issuer <see cref="AuthOptions.Authority"/>: the signature with a
/// key from the issuer's published keys (fetched again when a token names a key that is not known yet, as after a key
/// rotation), the issuer from its metadata, the audience, and the lifetime. Asymmetric signatures only: an unsigned
/// token (<c>alg: none</c>) or one signed with a shared secret is invalid.
/// </summary>
public sealed partial class BearerTokenValidator : IDisposable
{
    /// <summary>A longer Authorization value is refused before it is parsed.</summary>
    public const int MaxTokenLength = 16 * 1024;

    /// <summary>More groups than this in one token are refused: Microsoft Entra ID puts at most 200 in a JWT (more is an overage).</summary>
    public const int MaxGroups = 200;

    /// <summary>The HTTP client name the issuer's metadata is fetched with.</summary>
    public const string MetadataClientName = "Ragtune.OpenIdMetadata";

    private static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly AuthOptions _options;
    private readonly ILogger<BearerTokenValidator> _logger;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly IssuerMetadata? _metadata;
    private readonly TokenValidationParameters _parameters;

    public BearerTokenValidator(IOptions<AuthOptions> options, IHttpClientFactory httpClients, TimeProvider time, ILogger<BearerTokenValidator> logger)
    {
        _options = options.Value;
        _logger = logger;
        _metadata = _options.Authority is { } authority
            ? new IssuerMetadata(
                authority.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration",
                new HttpDocumentRetriever(httpClients.CreateClient(MetadataClientName)) { RequireHttps = _options.RequireHttpsMetadata },
                time)
            : null;
        _parameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidAudience = _options.Audience,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = AsymmetricAlgorithms,
            ClockSkew = _options.ClockSkew,
        };
    }

    /// <summary>Checks <paramref name="token"/> (the part after <c>Bearer </c>).</summary>
    /// <exception cref="InvalidOperationException">No issuer is configured (<see cref="AuthOptions.ValidatesTokens"/> is false).</exception>
    public async Task<TokenCheck> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var metadata = _metadata ?? throw new InvalidOperationException($"{AuthOptions.SectionName}:Authority is not set: no token can be checked.");
        if (token.Length > MaxTokenLength)
        {
            return TokenCheck.Invalid("The token is too large.");
        }

        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await metadata.GetAsync(keyMissing: false, cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or HttpRequestException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogIssuerUnavailable(_logger, _options.Authority!, exception);
            return new TokenCheck(TokenVerdict.IssuerUnavailable, [], "The identity provider's keys cannot be read right now.");
        }

        var result = await ValidateAsync(token, configuration);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // A key the cached metadata lacks: the issuer may have rotated its keys since.
            var refreshed = await metadata.GetAsync(keyMissing: true, cancellationToken);
            if (refreshed != configuration)
            {
                result = await ValidateAsync(token, refreshed);
            }
        }

        if (!result.IsValid)
        {
            var check = Explain(result.Exception);
            LogTokenRefused(_logger, check.Reason);
            return check;
        }

        if (result.Claims.TryGetValue("_claim_names", out var claimNames) && claimNames?.ToString()?.Contains($"\"{_options.GroupsClaim}\"", StringComparison.Ordinal) == true)
        {
            LogGroupsOverage(_logger, _options.GroupsClaim);
            return new TokenCheck(
                TokenVerdict.UnusableGroups, [],
                $"The token does not list the caller's groups (group overage): have the app registration emit only the groups assigned to the application.");
        }

        var groups = result.ClaimsIdentity.FindAll(_options.GroupsClaim).Select(claim => claim.Value).ToList();
        if (groups.Count > MaxGroups)
        {
            LogTooManyGroups(_logger, groups.Count, MaxGroups);
            return new TokenCheck(TokenVerdict.UnusableGroups, [], $"The token lists more than {MaxGroups} groups.");
        }

        return TokenCheck.Valid(groups);
    }

    public void Dispose() => _metadata?.Dispose();

    private Task<TokenValidationResult> ValidateAsync(string token, OpenIdConnectConfiguration configuration)
    {
        var parameters = _parameters.Clone();
        parameters.ValidIssuer = configuration.Issuer;
        parameters.IssuerSigningKeys = configuration.SigningKeys;
        return _handler.ValidateTokenAsync(token, parameters);
    }

    private static TokenCheck Explain(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => TokenCheck.Invalid("The token has expired."),
        SecurityTokenNotYetValidException => TokenCheck.Invalid("The token is not valid yet."),
        SecurityTokenNoExpirationException => TokenCheck.Invalid("The token has no expiry."),
        SecurityTokenInvalidAudienceException => TokenCheck.Invalid("The token is not for this API (audience)."),
        SecurityTokenInvalidIssuerException => TokenCheck.Invalid("The token is not from the configured issuer."),
        SecurityTokenInvalidAlgorithmException => TokenCheck.Invalid("The token's signature algorithm is not accepted."),
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => TokenCheck.Invalid("The token's signature is not valid."),
        SecurityTokenMalformedException or ArgumentException => TokenCheck.Invalid("The token is malformed."),
        _ => TokenCheck.Invalid("The token is not valid."),
    };

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "A bearer token was refused: {Reason}")]
    private static partial void LogTokenRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "The identity provider's metadata at {Authority} cannot be read; bearer tokens cannot be checked")]
    private static partial void LogIssuerUnavailable(ILogger logger, Uri authority, Exception? exception);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "A valid token carries no '{Claim}' claim but a group overage reference; its caller's groups are unknown")]
    private static partial void LogGroupsOverage(ILogger logger, string claim);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "A valid token lists {Count} groups, more than the {Limit} accepted")]
    private static partial void LogTooManyGroups(ILogger logger, int count, int limit);
}
