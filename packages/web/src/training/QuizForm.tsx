import { Alert, Button, Group, Paper, Radio, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { FormProblem } from '../components/common';
import { type AssignmentDetail, type QuizResult, training } from './endpoints';

type Quiz = NonNullable<AssignmentDetail['quiz']>;

/**
 * The quiz of a training, graded on the server: the page never sees the correct answers. After a
 * failed attempt with attempts left the trainee reads again and answers again.
 */
export function QuizForm({ assignment, quiz, onResult }: { assignment: AssignmentDetail; quiz: Quiz; onResult: (result: QuizResult) => void }) {
  const queryClient = useQueryClient();
  const [answers, setAnswers] = useState<(number | null)[]>(() => quiz.questions.map(() => null));
  const [tried, setTried] = useState(false);
  const [result, setResult] = useState<QuizResult | null>(null);
  const submit = useMutation({
    mutationFn: () => training.answerQuiz(assignment.id, answers as number[]),
    onSuccess: (outcome) => {
      setResult(outcome);
      onResult(outcome);
      setTried(false);
      if (!outcome.passed) setAnswers(quiz.questions.map(() => null));
      void queryClient.invalidateQueries({ queryKey: ['training'] });
    },
  });
  const unanswered = answers.filter((a) => a === null).length;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (unanswered === 0) submit.mutate();
  };
  const attemptsLeft = Math.max(quiz.maxAttempts - assignment.attempts, 0);

  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {quiz.questions.length} question{quiz.questions.length === 1 ? '' : 's'} · pass mark {quiz.passMarkPercent}% · {attemptsLeft} of {quiz.maxAttempts} attempt
        {quiz.maxAttempts === 1 ? '' : 's'} left. When the attempts are used up, a training manager must give you a new one.
      </Text>
      {result && !result.passed && (
        <Alert
          color={result.attemptsLeft > 0 ? 'orange' : 'red'}
          title={`Not passed: ${result.scorePercent}% (pass mark ${quiz.passMarkPercent}%)`}
          role="alert"
          data-testid="quiz-result"
        >
          {result.attemptsLeft > 0
            ? `Read the document again, then answer again. ${result.attemptsLeft} attempt${result.attemptsLeft === 1 ? '' : 's'} left.`
            : 'No attempts left: this training has failed. Your training manager will re-assign it.'}
        </Alert>
      )}
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          {quiz.questions.map((question, index) => (
            <Paper
              // biome-ignore lint/suspicious/noArrayIndexKey: questions are positional: the answer is the option's index
              key={`${index}:${question.prompt}`}
              withBorder
              radius="md"
              p="sm"
              style={tried && answers[index] === null ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}
            >
              <Radio.Group
                label={
                  <Text span fw={600} size="sm">
                    {index + 1}. {question.prompt}
                  </Text>
                }
                value={answers[index] === null ? null : String(answers[index])}
                onChange={(v) => setAnswers(answers.map((a, i) => (i === index ? Number(v) : a)))}
                error={tried && answers[index] === null ? 'Choose an answer' : undefined}
                required
              >
                <Stack gap={6} mt={6}>
                  {question.options.map((option, optionIndex) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: options are positional: the answer is the option's index
                    <Radio key={`${optionIndex}:${option}`} value={String(optionIndex)} label={option} />
                  ))}
                </Stack>
              </Radio.Group>
            </Paper>
          ))}
          <FormProblem error={submit.error} />
          <Group justify="flex-end" gap="sm">
            {tried && unanswered > 0 && (
              <Text size="sm" c="red.7">
                {unanswered} question{unanswered === 1 ? '' : 's'} not answered
              </Text>
            )}
            <Button type="submit" loading={submit.isPending} data-testid="quiz-submit">
              Submit answers
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
