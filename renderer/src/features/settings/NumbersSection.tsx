import { formatPhone } from '../../../../shared/domain/phone';
import { useAccountStore } from '../account/accountStore';

const CLASS_LABEL = { local: 'Local', 'toll-free': 'Toll-free', '10dlc': '10DLC', 'short-code': 'Short code' } as const;

export function NumbersSection() {
  const numbers = useAccountStore((s) => s.status?.numbers);
  return (
    <section aria-labelledby="numbers-heading">
      <h2 id="numbers-heading">Numbers</h2>
      <p className="muted">The numbers this account sends from. Each class has its own sending rate; the queue keeps to it.</p>
      {numbers && numbers.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Class</th>
              <th scope="col">Messages per second</th>
            </tr>
          </thead>
          <tbody>
            {numbers.map((n) => (
              <tr key={n.number}>
                <td className="nowrap">{formatPhone(n.number)}</td>
                <td>{CLASS_LABEL[n.class]}</td>
                <td>{n.mps}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No numbers yet. In Live mode, list them under Account.</p>
      )}
    </section>
  );
}
