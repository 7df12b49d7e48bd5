using System.Text;
using System.Text.Json;
using Ragtune.Core.Index;

namespace Ragtune.Http.Auth;

/// <summary>
/// The caller's identity from the <c>x-ms-client-principal</c> header that Azure App Service / Functions
/// authentication sets: base64 JSON whose <c>claims</c> of type <c>groups</c> are the caller's groups. Access fails
/// closed: no header, or one that cannot be read, means public documents only.
/// </summary>
public static class ClientPrincipal
{
    public const string HeaderName = "x-ms-client-principal";

    private static readonly string[] GroupClaimTypes = ["groups", "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"];

    /// <summary>The access scope of a request with this header value (null or empty: public only).</summary>
    public static AccessScope ToAccessScope(string? headerValue)
    {
        if (string.IsNullOrWhiteSpace(headerValue) || headerValue.Length > 64 * 1024)
        {
            return AccessScope.Public;
        }

        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(headerValue)));
            if (!document.RootElement.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
            {
                return AccessScope.Public;
            }

            var groups = new List<string>();
            foreach (var claim in claims.EnumerateArray())
            {
                if (claim.ValueKind == JsonValueKind.Object
                    && claim.TryGetProperty("typ", out var type) && type.ValueKind == JsonValueKind.String
                    && GroupClaimTypes.Contains(type.GetString(), StringComparer.OrdinalIgnoreCase)
                    && claim.TryGetProperty("val", out var value) && value.ValueKind == JsonValueKind.String)
                {
                    groups.Add(value.GetString()!);
                }
            }

            return AccessScope.ForGroups(groups);
        }
        catch (Exception exception) when (exception is FormatException or JsonException or DecoderFallbackException)
        {
            return AccessScope.Public;
        }
    }
}
