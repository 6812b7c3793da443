/**
 * Simulated customers: they answer what agents send them, text on their own now and then (SMS, MMS with a
 * generated picture, group messages), and one of them uses HELP / STOP / START. Pausable from the control API.
 */
import type { CallbackDispatcher } from './callbacks';
import { between, pick } from './ids';
import type { InboundRequest } from './inbound';
import { generateImage, receive } from './inbound';
import type { Context, StoredMessage } from './model';

export interface Persona {
  name: string;
  number: string;
  color: string;
  /** Replies, used in turn. A reply starting with "[photo]" comes with a picture. */
  replies: string[];
  /** Things this persona texts unprompted. */
  openers: string[];
}

export const PERSONAS: Persona[] = [
  {
    name: 'Maya Chen',
    number: '+19845550151',
    color: '#2563eb',
    replies: ['Thanks! That helps a lot.', '[photo] Here is what I see on my screen', 'Perfect, talk soon.'],
    openers: ['Hi, my order #4521 has not arrived yet. Can you check?', '[photo] The box came damaged, see the photo'],
  },
  {
    name: 'Jordan Alvarez',
    number: '+19845550152',
    color: '#16a34a',
    replies: ['ok 👍', 'Sure — what time works for you?', 'Got it, thanks 🙏'],
    openers: ['Is the store open on Sunday? 🙂', 'Can I change my delivery address?'],
  },
  {
    name: 'Priya Patel',
    number: '+13365550153',
    color: '#db2777',
    replies: ['Sounds good to both of us.', 'Sam, can you confirm?'],
    openers: ['Hi! Sam and I both need to reschedule our appointments.'],
  },
  {
    name: 'Sam Okafor',
    number: '+17045550154',
    color: '#ea580c',
    replies: ['Confirmed, thank you!', 'Works for me.'],
    openers: ['Quick question about the invoice you sent us.'],
  },
  {
    name: 'Riley Brooks',
    number: '+12125550155',
    color: '#7c3aed',
    replies: ['HELP', 'STOP'],
    openers: ['START'],
  },
];

/** Priya and Sam write together: their group messages include both of them and one of our numbers. */
const GROUP = ['+13365550153', '+17045550154'];

export class Personas {
  private readonly turns = new Map<string, number>();
  private cancelAmbient: () => void = () => {};

  constructor(
    private readonly ctx: Context,
    private readonly callbacks: CallbackDispatcher,
  ) {
    ctx.listeners.push({ delivered: (message, recipient) => this.onDelivered(message, recipient) });
  }

  start(): void {
    this.scheduleAmbient();
  }

  private persona(number: string): Persona | undefined {
    return PERSONAS.find((p) => p.number === number);
  }

  private next(persona: Persona, lines: string[]): string {
    const turn = this.turns.get(`${persona.number}:${lines === persona.replies ? 'r' : 'o'}`) ?? 0;
    this.turns.set(`${persona.number}:${lines === persona.replies ? 'r' : 'o'}`, turn + 1);
    return lines[turn % lines.length] as string;
  }

  private async send(persona: Persona, to: string[], line: string): Promise<void> {
    const photo = line.startsWith('[photo]');
    const text = photo ? line.slice('[photo]'.length).trim() : line;
    const request: InboundRequest = { from: persona.number, to, text };
    if (photo) request.attachments = [await generateImage(`Photo from ${persona.name.split(' ')[0]}`, persona.color)];
    if (this.ctx.settings.personasPaused || this.ctx.scheduler.stoppedAlready) return;
    receive(this.ctx, this.callbacks, request);
  }

  private onDelivered(message: StoredMessage, recipient: string): void {
    const persona = this.persona(recipient);
    if (!persona || this.ctx.settings.personasPaused) return;
    // In a group only the first persona among the recipients answers, to the whole group.
    if (message.to.find((to) => this.persona(to)) !== recipient) return;
    const to = [message.from, ...message.to.filter((n) => n !== recipient)];
    const line = this.next(persona, persona.replies);
    const { delays, rng } = this.ctx;
    this.ctx.scheduler.after(between(rng, ...delays.replyMs), () => this.send(persona, to, line), (e) => this.ctx.log(`persona error: ${String(e)}`));
  }

  private scheduleAmbient(): void {
    const { delays, rng, scheduler } = this.ctx;
    this.cancelAmbient();
    this.cancelAmbient = scheduler.after(between(rng, ...delays.ambientMs), async () => {
      this.scheduleAmbient();
      if (this.ctx.settings.personasPaused) return;
      await this.ambient();
    }, (e) => this.ctx.log(`persona error: ${String(e)}`));
  }

  private async ambient(): Promise<void> {
    const { rng, numbers } = this.ctx;
    const persona = pick(rng, PERSONAS);
    const ours = pick(rng, numbers.filter((n) => n.class !== 'toll-free'));
    if (!ours) return;
    const to = GROUP.includes(persona.number) ? [ours.number, ...GROUP.filter((n) => n !== persona.number)] : [ours.number];
    // Riley only texts START when actually opted out; otherwise asks for HELP.
    const line = persona.openers.includes('START') && !this.ctx.optOuts.has(`${ours.number} ${persona.number}`) ? 'HELP' : this.next(persona, persona.openers);
    await this.send(persona, to, line);
  }
}
