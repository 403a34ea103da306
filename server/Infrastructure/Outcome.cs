using Microsoft.AspNetCore.Http.HttpResults;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;

namespace AmvScreening.Server.Infrastructure;

/// <summary>A request the server understood and will not do now: its status (409 most often), a title, a detail for
/// people, and where a client needs them a <c>reason</c> for programs and the field at fault (answered as
/// <c>errors</c>: { field: [detail] }).</summary>
public sealed record Refusal(int Status, string Title, string Detail, string? Reason = null, string? Field = null)
{
    /// <summary>A 409: not now, for this reason.</summary>
    public static Refusal Conflict(string reason, string detail, string? field = null, string title = "Not now.") =>
        new(StatusCodes.Status409Conflict, title, detail, reason, field);
}

/// <summary>What an action came to: done (with its value), invalid (errors by field: a 400), refused (a
/// <see cref="Refusal"/>), or about something that does not exist (a 404). <see cref="Outcomes"/> turns it into the
/// HTTP answer.</summary>
public sealed class Outcome<T>
{
    private Outcome(T? value, IReadOnlyDictionary<string, string[]>? errors, Refusal? refusal, bool missing)
    {
        Value = value;
        Errors = errors;
        Refusal = refusal;
        Missing = missing;
    }

    /// <summary>The value of an action done; default otherwise.</summary>
    public T? Value { get; }

    /// <summary>The errors by field of an invalid request.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; }

    public Refusal? Refusal { get; }

    /// <summary>The action is about something that does not exist.</summary>
    public bool Missing { get; }

    public bool Done => !Missing && Errors is null && Refusal is null;

    public static Outcome<T> NotFound { get; } = new(default, null, null, true);

    public static Outcome<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new(default, errors, null, false);

    public static Outcome<T> Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static implicit operator Outcome<T>(T value) => new(value, null, null, false);

    public static implicit operator Outcome<T>(Refusal refusal) => new(default, null, refusal, false);
}

/// <summary>The one conversion of outcomes, refusals and invalid input into HTTP answers: every ProblemDetails an
/// endpoint answers is built here. Invalid input is a 400 titled "The request is not valid." with <c>errors</c> by
/// field; a refusal has its own status and title, its <c>reason</c> and its field in <c>errors</c>; a missing thing is
/// a bare 404 (the status code pages give it a ProblemDetails body).</summary>
public static class Outcomes
{
    public const string InvalidTitle = "The request is not valid.";

    /// <summary>200 with the value, or the problem.</summary>
    public static Results<Ok<T>, NotFound, ProblemHttpResult> ToOk<T>(this Outcome<T> outcome) =>
        outcome.Done ? TypedResults.Ok(outcome.Value!) : outcome.Missing ? TypedResults.NotFound() : Problem(outcome);

    /// <summary>204, or the problem.</summary>
    public static Results<NoContent, NotFound, ProblemHttpResult> ToNoContent<T>(this Outcome<T> outcome) =>
        outcome.Done ? TypedResults.NoContent() : outcome.Missing ? TypedResults.NotFound() : Problem(outcome);

    /// <summary>201 with the value at its address, or the problem.</summary>
    public static Results<Created<T>, NotFound, ProblemHttpResult> ToCreated<T>(this Outcome<T> outcome, Func<T, string> location) =>
        outcome.Done ? TypedResults.Created(location(outcome.Value!), outcome.Value) : outcome.Missing ? TypedResults.NotFound() : Problem(outcome);

    /// <summary>A 400 naming the field.</summary>
    public static ProblemHttpResult Invalid(string field, string message, string title = InvalidTitle) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] }, title);

    /// <summary>A 400 with the errors by field.</summary>
    public static ProblemHttpResult Invalid(
        IReadOnlyDictionary<string, string[]> errors, string title = InvalidTitle, string? detail = null, IDictionary<string, object?>? extensions = null)
    {
        var problem = new HttpValidationProblemDetails(errors.ToDictionary()) { Title = title, Detail = detail, Status = StatusCodes.Status400BadRequest };
        foreach (var (name, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[name] = value;
        }

        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult ToProblem(this Refusal refusal)
    {
        ProblemDetails problem = refusal.Field is { } field
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [refusal.Detail] })
            : new ProblemDetails();
        problem.Title = refusal.Title;
        problem.Detail = refusal.Detail;
        problem.Status = refusal.Status;
        if (refusal.Reason is { } reason)
        {
            problem.Extensions["reason"] = reason;
        }

        return TypedResults.Problem(problem);
    }

    /// <summary>The problem of an outcome neither done nor missing.</summary>
    private static ProblemHttpResult Problem<T>(Outcome<T> outcome) => outcome.Refusal is { } refusal ? refusal.ToProblem() : Invalid(outcome.Errors!);
}
