using System.Net;
using System.Net.Http.Json;
using Ragtune.Testing.Fuzzing;

namespace Ragtune.Cli.Tests.Security;

/// <summary>
/// Malformed and random requests to every endpoint of <c>ragtune serve</c> (the shared <see cref="HttpFuzzCases"/>, which
/// the Azure Functions host runs too): no 5xx, errors are Problem Details without internals, and the server still
/// answers afterwards. The server trusts the client principal header, so that forged and garbled ones are parsed.
/// </summary>
public sealed class HttpFuzzTests(AccessControlFixture fixture) : IClassFixture<AccessControlFixture>
{
    [Fact]
    public async Task Fuzz_EveryEndpoint_NoServerErrorAndTheServerStillAnswers()
    {
        var cases = HttpFuzzCases.Generate();
        var failures = new List<string>();
        var client = fixture.Trusted.Client;

        foreach (var request in cases)
        {
            using var message = request.ToHttpRequestMessage();
            try
            {
                using var response = await client.SendAsync(message);
                var body = await response.Content.ReadAsStringAsync();
                if (HttpFuzzVerdict.Judge(request, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body) is { } failure)
                {
                    failures.Add(failure.Length > 600 ? failure[..600] : failure);
                }
            }
            catch (HttpRequestException exception)
            {
                failures.Add($"{request.Name}: no response ({exception.Message})");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases failed:\n{string.Join('\n', failures)}");
        using var health = await client.GetAsync(new Uri(HttpFuzzCases.Health, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var ask = await client.PostAsJsonAsync(HttpFuzzCases.Ask, new { question = "When does the office open?" });
        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        Assert.Contains("eight in the morning", await ask.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void Cases_AreManyDistinctAndReproducible()
    {
        var first = HttpFuzzCases.Generate();
        var again = HttpFuzzCases.Generate();

        Assert.True(first.Count > 300, $"{first.Count} cases");
        Assert.Equal(first.Count, first.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(first.Select(c => Convert.ToBase64String(c.Body ?? [])), again.Select(c => Convert.ToBase64String(c.Body ?? [])));
        Assert.Contains(first, c => c.Path == HttpFuzzCases.Ask);
        Assert.Contains(first, c => c.Path == HttpFuzzCases.Feedback);
        Assert.Contains(first, c => c.Path == HttpFuzzCases.Documents);
        Assert.Contains(first, c => c.Path == HttpFuzzCases.Health);
        Assert.Contains(first, c => c.Path == HttpFuzzCases.ChatCompletions);
        Assert.Contains(first, c => c.Path == HttpFuzzCases.Models);
        Assert.Contains(first, c => c.Path == HttpFuzzCases.Chat);
    }
}
