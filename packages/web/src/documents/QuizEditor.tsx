import { ActionIcon, Button, Group, NumberInput, Paper, Radio, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';

export interface QuizQuestion {
  prompt: string;
  options: string[];
  correctIndex: number;
}
export interface Quiz {
  passMarkPercent: number;
  maxAttempts: number;
  questions: QuizQuestion[];
}

export const emptyQuestion = (): QuizQuestion => ({ prompt: '', options: ['', ''], correctIndex: 0 });
export const newQuiz = (): Quiz => ({ passMarkPercent: 80, maxAttempts: 3, questions: [emptyQuestion()] });

/** A quiz as stored on a revision (answers included for authors), or null when there is none or it is malformed. */
export function quizFrom(value: unknown): Quiz | null {
  if (!value || typeof value !== 'object') return null;
  const quiz = value as Partial<Quiz>;
  if (!Array.isArray(quiz.questions)) return null;
  return {
    passMarkPercent: Number(quiz.passMarkPercent ?? 80),
    maxAttempts: Number(quiz.maxAttempts ?? 3),
    questions: quiz.questions.map((q) => ({ prompt: String(q.prompt ?? ''), options: Array.isArray(q.options) ? q.options.map(String) : ['', ''], correctIndex: Number(q.correctIndex ?? 0) })),
  };
}

/** What is wrong with a quiz before it is saved, or null. */
export function quizProblem(quiz: Quiz): string | null {
  if (quiz.questions.length === 0) return 'Add at least one question.';
  for (const [index, q] of quiz.questions.entries()) {
    if (!q.prompt.trim()) return `Question ${index + 1} has no text.`;
    if (q.options.filter((o) => o.trim()).length < 2) return `Question ${index + 1} needs at least two answers.`;
    if (!q.options[q.correctIndex]?.trim()) return `Mark the correct answer of question ${index + 1}.`;
  }
  return null;
}

/** The quiz as the API takes it: empty answers dropped, the correct index moved with them. */
export function quizPayload(quiz: Quiz): Quiz {
  return {
    passMarkPercent: quiz.passMarkPercent,
    maxAttempts: quiz.maxAttempts,
    questions: quiz.questions.map((q) => {
      const kept = q.options.map((text, index) => ({ text: text.trim(), index })).filter((o) => o.text);
      return { prompt: q.prompt.trim(), options: kept.map((o) => o.text), correctIndex: Math.max(0, kept.findIndex((o) => o.index === q.correctIndex)) };
    }),
  };
}

/** The questions trainees answer before they may sign: pass mark, attempts, and each question with its answers. */
export function QuizEditor({ quiz, onChange, error }: { quiz: Quiz; onChange: (quiz: Quiz) => void; error?: string }) {
  const setQuestion = (index: number, question: QuizQuestion) => onChange({ ...quiz, questions: quiz.questions.map((q, i) => (i === index ? question : q)) });
  return (
    <Stack gap="sm" data-testid="quiz-editor">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <NumberInput
          label="Pass mark (%)"
          min={1}
          max={100}
          value={quiz.passMarkPercent}
          onChange={(v) => onChange({ ...quiz, passMarkPercent: typeof v === 'number' ? v : Number(v) || 0 })}
        />
        <NumberInput
          label="Attempts allowed"
          description="After the last failed attempt a trainer must reassign the training"
          min={1}
          max={10}
          value={quiz.maxAttempts}
          onChange={(v) => onChange({ ...quiz, maxAttempts: typeof v === 'number' ? v : Number(v) || 0 })}
        />
      </SimpleGrid>
      {quiz.questions.map((question, qi) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: questions are positional while editing
        <Paper key={qi} withBorder p="sm" radius="md" bg="gray.0">
          <Group justify="space-between" mb={6}>
            <Text size="sm" fw={650}>
              Question {qi + 1}
            </Text>
            <Button
              variant="subtle"
              color="red"
              size="compact-xs"
              onClick={() => onChange({ ...quiz, questions: quiz.questions.filter((_, i) => i !== qi) })}
              disabled={quiz.questions.length === 1}
            >
              Remove question
            </Button>
          </Group>
          <Textarea aria-label={`Question ${qi + 1}`} placeholder="The question" autosize minRows={1} value={question.prompt} onChange={(e) => setQuestion(qi, { ...question, prompt: e.currentTarget.value })} />
          <Radio.Group
            mt="xs"
            label="Answers (select the correct one)"
            value={String(question.correctIndex)}
            onChange={(v) => setQuestion(qi, { ...question, correctIndex: Number(v) })}
          >
            <Stack gap={6} mt={4}>
              {question.options.map((option, oi) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: answers are positional while editing
                <Group key={oi} gap="xs" wrap="nowrap">
                  <Radio value={String(oi)} aria-label={`Answer ${oi + 1} of question ${qi + 1} is correct`} />
                  <TextInput
                    aria-label={`Answer ${oi + 1} of question ${qi + 1}`}
                    placeholder={`Answer ${oi + 1}`}
                    value={option}
                    onChange={(e) => setQuestion(qi, { ...question, options: question.options.map((o, i) => (i === oi ? e.currentTarget.value : o)) })}
                    style={{ flex: 1 }}
                  />
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    aria-label={`Remove answer ${oi + 1} of question ${qi + 1}`}
                    disabled={question.options.length <= 2}
                    onClick={() =>
                      setQuestion(qi, {
                        ...question,
                        options: question.options.filter((_, i) => i !== oi),
                        correctIndex: question.correctIndex > oi ? question.correctIndex - 1 : question.correctIndex === oi ? 0 : question.correctIndex,
                      })
                    }
                  >
                    ✕
                  </ActionIcon>
                </Group>
              ))}
            </Stack>
          </Radio.Group>
          {question.options.length < 8 && (
            <Button variant="subtle" size="compact-sm" mt={6} onClick={() => setQuestion(qi, { ...question, options: [...question.options, ''] })}>
              + Add answer
            </Button>
          )}
        </Paper>
      ))}
      <Group justify="space-between">
        {quiz.questions.length < 50 && (
          <Button variant="light" size="xs" onClick={() => onChange({ ...quiz, questions: [...quiz.questions, emptyQuestion()] })}>
            + Add question
          </Button>
        )}
        {error && (
          <Text size="sm" c="red" role="alert">
            {error}
          </Text>
        )}
      </Group>
    </Stack>
  );
}
