/** A search snippet from structured parts: hits become <mark>, nothing is ever parsed as HTML. */
export function Snippet({ parts }: { parts: readonly { text: string; hit: boolean }[] }) {
  return (
    <span className="snippet">
      {parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </span>
  );
}
