/**
 * One progress line while a rehearsal runs: rewritten in place on a terminal, plain lines otherwise (a new line only
 * when the phase changes, so a log stays readable).
 */
import { timestamp } from "../cli/progress";

export class ProgressLine {
    private phase = "";
    private detail = "";
    private lastWidth = 0;

    constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {}

    private get tty(): boolean {
        return this.stream.isTTY === true;
    }

    /** A new phase: on a terminal it replaces the line; otherwise it is printed as a line of its own. */
    setPhase(phase: string): void {
        this.phase = phase;
        this.detail = "";
        if (this.tty) this.redraw();
        else this.stream.write(`${timestamp()} ${phase}\n`);
    }

    /** Figures that change every moment (calls so far): shown on a terminal only. */
    setDetail(detail: string): void {
        this.detail = detail;
        if (this.tty) this.redraw();
    }

    /** Ends the line on a terminal, so what follows starts on a fresh one. */
    finish(): void {
        if (this.tty && this.lastWidth > 0) this.stream.write("\n");
        this.lastWidth = 0;
    }

    private redraw(): void {
        const columns = this.stream.columns ?? 120;
        const text = `${timestamp()} ${this.phase}${this.detail ? ` | ${this.detail}` : ""}`.slice(0, columns - 1);
        this.stream.write(`\r\x1b[K${text}`);
        this.lastWidth = text.length;
    }
}
