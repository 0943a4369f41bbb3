// The problem-text detector: what reads like a problem a person should look at, and what does not.
import { describe, expect, it } from 'vitest';
import { detectProblems, needsFollowUp } from '../../../src/server/reviews/detect-problem.ts';

describe('detectProblems', () => {
  it.each([
    ['The box arrived damaged and the pole was bent', ['damaged']],
    ['Zipper broke after two days', ['broken']],
    ['It stopped working after a week', ['broken']],
    ['One of the stakes was missing', ['missing']],
    ['It never arrived, still waiting', ['never arrived']],
    ['I didn’t receive the second mug', ['never arrived']],
    ['Wrong size sent, I ordered a large', ['wrong item or size']],
    ['Way too small for me', ['wrong item or size']],
    ['Arrived cracked and I want a refund', ['damaged', 'wants a refund']],
    ['Lovely tent, easy to pitch, stayed dry all night', []],
    ['Not damaged at all despite the rough trip', []],
    ['No problems, nothing missing, fits perfectly', []],
    ['Great mug. Keeps coffee hot.', []],
    ['', []],
  ])('%j → %j', (text, expected) => {
    expect(detectProblems(text)).toEqual(expected);
  });
});

describe('needsFollowUp', () => {
  it.each([
    [1, 'Fine', true],
    [2, '', true],
    [3, 'Okay', false],
    [5, 'Love it but the lid was broken', true],
    [5, 'Perfect', false],
  ])('%i stars, %j → %s', (rating, text, yes) => {
    expect(needsFollowUp(rating, text).yes).toBe(yes);
  });
});
